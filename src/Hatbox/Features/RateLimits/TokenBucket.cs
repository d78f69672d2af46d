namespace Hatbox.Features.RateLimits;

/// <summary>
/// A token bucket holding up to <c>capacity</c> requests that refills at <c>capacity</c> per minute.
/// Taking is under a lock, so of any number of concurrent callers exactly as many succeed as there
/// are tokens. Times are <see cref="TimeProvider"/> timestamps.
/// </summary>
internal sealed class TokenBucket(int capacity, long now)
{
    readonly Lock _gate = new();
    double _tokens = capacity;
    long _updated = now;

    public int Capacity { get; } = capacity;

    /// <summary>Takes one token if there is one. Also says how many are left and how long until one and all are back.</summary>
    public RateLimitDecision TryTake(long now, long ticksPerSecond)
    {
        lock (_gate)
        {
            var perSecond = Capacity / 60.0;
            _tokens = Math.Min(Capacity, _tokens + (now - _updated) / (double)ticksPerSecond * perSecond);
            _updated = now;
            var allowed = _tokens >= 1;
            if (allowed)
            {
                _tokens -= 1;
            }
            var secondsToFull = (Capacity - _tokens) / perSecond;
            var secondsToNext = allowed ? 0 : (1 - _tokens) / perSecond;
            return new RateLimitDecision(allowed, Capacity, (int)Math.Floor(_tokens),
                (int)Math.Ceiling(secondsToFull), Math.Max(1, (int)Math.Ceiling(secondsToNext)));
        }
    }
}

/// <summary>The answer of one limit: whether to serve, and the numbers for the RateLimit headers.</summary>
internal readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, int ResetSeconds, int RetryAfterSeconds);
