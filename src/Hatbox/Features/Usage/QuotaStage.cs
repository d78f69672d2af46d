using Hatbox.Common.Errors;
using Hatbox.Features.Plans;

namespace Hatbox.Features.Usage;

/// <summary>
/// The monthly-quota stage's refusal (the count is <see cref="RateLimits.IAdmissionCounter"/>'s). On a
/// plan that stops at its quota, the request past it is <c>429 quota_exceeded</c> with
/// <c>x-should-retry: false</c> (so SDKs do not retry in vain) and the reset time; paid plans go on
/// and the excess is billed as overage.
/// </summary>
internal static class QuotaStage
{
    public static ApiError Refusal(HttpContext context, PlanOptions plan, DateTimeOffset now)
    {
        MonthlyQuotaRefusal.WriteHeaders(context.Response, now);
        var reset = MonthlyQuotaRefusal.ResetText(now);
        return new ApiError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.QuotaExceeded,
            $"This organization has used the {plan.RequestsPerMonth} requests its plan includes this month. The quota resets at {reset}.");
    }
}
