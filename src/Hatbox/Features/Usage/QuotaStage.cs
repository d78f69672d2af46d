using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Plans;

namespace Hatbox.Features.Usage;

/// <summary>
/// The monthly-quota stage. On a plan that stops at its quota, the request past it is
/// <c>429 quota_exceeded</c> with <c>x-should-retry: false</c> (so SDKs do not retry in vain) and the
/// reset time; paid plans go on and the excess is billed as overage.
/// </summary>
internal sealed class QuotaStage(IQuotaCounter quota, PlanCatalog plans)
{
    /// <summary>Counts the request to <paramref name="now"/>'s month; null when it is admitted, else the refusal.</summary>
    public async ValueTask<ApiError?> AdmitAsync(HttpContext context, ApiCaller caller, DateTimeOffset now)
    {
        var plan = plans.Get(caller.Plan);
        var (admitted, _) = await quota.TryAdmitAsync(caller.OrganizationId, BillingMonth.Of(now),
            plan.StopsAtQuota ? plan.RequestsPerMonth : null, context.RequestAborted);
        if (admitted)
        {
            return null;
        }
        MonthlyQuotaRefusal.WriteHeaders(context.Response, now);
        var reset = MonthlyQuotaRefusal.ResetText(now);
        return new ApiError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.QuotaExceeded,
            $"This organization has used the {plan.RequestsPerMonth} requests its plan includes this month. The quota resets at {reset}.");
    }
}
