using Hatbox.Common.Errors;

namespace Hatbox.Features.RateLimits;

/// <summary>
/// The rate-limit stage's answer: each key and each organization may make its plan's requests per
/// minute (token buckets, counted by <see cref="IAdmissionCounter"/>). A refusal is
/// <c>429 rate_limited</c> with <c>Retry-After</c>; the SDK retries it.
/// </summary>
internal static class RateLimitStage
{
    /// <summary>Writes the RateLimit headers of <paramref name="decision"/>; null when it allows the request, else the refusal.</summary>
    public static ApiError? Answer(HttpContext context, RateLimitDecision decision)
    {
        RateLimitHeaders.Write(context.Response, decision);
        if (decision.Allowed)
        {
            return null;
        }
        context.Response.Headers.RetryAfter = RateLimitHeaders.Seconds(decision.RetryAfterSeconds);
        return new ApiError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, "rate_limited",
            $"This plan allows {decision.Limit} requests per minute per key and per organization. Retry after {decision.RetryAfterSeconds} s.");
    }
}
