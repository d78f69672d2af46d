using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Plans;
using Hatbox.Features.Usage;

namespace Hatbox.Features.RateLimits;

/// <summary>
/// The rate-limit and monthly-quota stages of DESIGN.md §5, counted together by
/// <see cref="IAdmissionCounter"/> (one Redis round trip on several nodes) and answered as each
/// stage answers: <see cref="RateLimitStage"/>'s headers and refusal, then <see cref="QuotaStage"/>'s.
/// </summary>
internal sealed class AdmissionStage(IAdmissionCounter counter, PlanCatalog plans)
{
    /// <summary>Counts the request to <paramref name="now"/>'s month; null when it is admitted, else the refusal.</summary>
    public async ValueTask<ApiError?> AdmitAsync(HttpContext context, ApiCaller caller, DateTimeOffset now)
    {
        var plan = plans.Get(caller.Plan);
        var counted = await counter.CountAsync(caller.KeyId, caller.OrganizationId, plan.RequestsPerMinute, BillingMonth.Of(now),
            plan.StopsAtQuota ? plan.RequestsPerMonth : null, context.RequestAborted);
        return RateLimitStage.Answer(context, counted.Rate) ?? (counted.QuotaAdmitted ? null : QuotaStage.Refusal(context, plan, now));
    }
}
