using System.Globalization;
using System.Threading.RateLimiting;
using Hatbox.Common.Errors;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Accounts;

/// <summary>
/// Sign-in and sign-up attempts per client address, beside the per-account lockout: the lockout
/// stops guessing one account's password, this stops one address trying many accounts (credential
/// stuffing) or making accounts in bulk. Kept per node, like the API's rate limits; idle addresses
/// are forgotten by the limiter itself.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    static readonly ApiError TooManyAttempts = new(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, "rate_limited",
        "Too many sign-in attempts from your address. Wait a minute and try again.");

    readonly PartitionedRateLimiter<string> _limiter;

    public SignInThrottle(IOptions<AccountOptions> options)
    {
        var perMinute = options.Value.SignInAttemptsPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetSlidingWindowLimiter(address,
            _ => new SlidingWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6 }));
    }

    /// <summary>Null when this attempt may go ahead; else the 429 to answer, with <c>Retry-After</c> set.</summary>
    public ApiError? TryAttempt(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "");
        if (lease.IsAcquired)
        {
            return null;
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(10);
        http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return TooManyAttempts;
    }

    public void Dispose() => _limiter.Dispose();
}
