using System.Globalization;

namespace Hatbox.Features.RateLimits;

/// <summary>
/// The IETF draft headers (<c>RateLimit-Policy</c>, <c>RateLimit</c>) and the widely used
/// <c>RateLimit-Limit</c>/<c>-Remaining</c>/<c>-Reset</c>, on every API answer.
/// </summary>
internal static class RateLimitHeaders
{
    public static void Write(HttpResponse response, RateLimitDecision decision)
    {
        var limit = decision.Limit.ToString(CultureInfo.InvariantCulture);
        var remaining = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        var reset = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        var headers = response.Headers;
        headers["RateLimit-Policy"] = $"\"minute\";q={limit};w=60";
        headers["RateLimit"] = $"\"minute\";r={remaining};t={reset}";
        headers["RateLimit-Limit"] = limit;
        headers["RateLimit-Remaining"] = remaining;
        headers["RateLimit-Reset"] = reset;
    }
}
