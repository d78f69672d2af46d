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
        var policy = PolicyFor(decision.Limit);
        var remaining = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        var reset = Seconds(decision.ResetSeconds);
        var headers = response.Headers;
        headers["RateLimit-Policy"] = policy.Header;
        headers["RateLimit"] = $"\"minute\";r={remaining};t={reset}";
        headers["RateLimit-Limit"] = policy.Limit;
        headers["RateLimit-Remaining"] = remaining;
        headers["RateLimit-Reset"] = reset;
    }

    /// <summary>A number of seconds as text; the minute's 0–60 are made once, not per answer.</summary>
    public static string Seconds(int seconds) =>
        (uint)seconds < (uint)MinuteSeconds.Length ? MinuteSeconds[seconds] : seconds.ToString(CultureInfo.InvariantCulture);

    static readonly string[] MinuteSeconds = [.. Enumerable.Range(0, 61).Select(s => s.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The last limit written, with its header texts: a plan's limit rarely changes, so they are made once, not per answer.</summary>
    static Policy? s_last;

    sealed record Policy(int Value, string Limit, string Header);

    static Policy PolicyFor(int limit)
    {
        var last = Volatile.Read(ref s_last);
        if (last?.Value != limit)
        {
            var text = limit.ToString(CultureInfo.InvariantCulture);
            last = new Policy(limit, text, $"\"minute\";q={text};w=60");
            Volatile.Write(ref s_last, last);
        }
        return last;
    }
}
