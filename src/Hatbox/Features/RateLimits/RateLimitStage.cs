using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Plans;

namespace Hatbox.Features.RateLimits;

/// <summary>
/// The rate-limit stage: each key and each organization may make its plan's requests per minute
/// (token buckets). A refusal is <c>429 rate_limited</c> with <c>Retry-After</c>; the SDK retries it.
/// </summary>
internal sealed class RateLimitStage(IRateLimitStore store, PlanCatalog plans)
{
    /// <summary>Takes a token from the key's and the organization's buckets; null when both had one, else the refusal.</summary>
    public async ValueTask<ApiError?> TakeAsync(HttpContext context, ApiCaller caller)
    {
        var perMinute = plans.Get(caller.Plan).RequestsPerMinute;
        // Ids carry their kind (key_…, org_…), so they name their buckets as they are: no string per request.
        var byKey = await store.TakeAsync(caller.KeyId, perMinute, context.RequestAborted);
        var decision = byKey;
        if (byKey.Allowed)
        {
            var byOrganization = await store.TakeAsync(caller.OrganizationId, perMinute, context.RequestAborted);
            if (!byOrganization.Allowed || byOrganization.Remaining < byKey.Remaining)
            {
                decision = byOrganization;
            }
        }
        RateLimitHeaders.Write(context.Response, decision);
        if (decision.Allowed)
        {
            return null;
        }
        context.Response.Headers.RetryAfter = RateLimitHeaders.Seconds(decision.RetryAfterSeconds);
        return new ApiError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, "rate_limited",
            $"This plan allows {perMinute} requests per minute per key and per organization. Retry after {decision.RetryAfterSeconds} s.");
    }
}
