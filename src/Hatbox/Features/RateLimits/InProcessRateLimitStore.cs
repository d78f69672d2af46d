using System.Collections.Concurrent;

namespace Hatbox.Features.RateLimits;

/// <summary>Buckets in this process's memory. A bucket whose limit changed (a new plan) starts afresh.</summary>
internal sealed class InProcessRateLimitStore(TimeProvider time) : IRateLimitStore
{
    readonly ConcurrentDictionary<string, TokenBucket> _buckets = new();

    public ValueTask<RateLimitDecision> TakeAsync(string bucket, int perMinute, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var tokens = _buckets.GetOrAdd(bucket, static (_, state) => new TokenBucket(state.perMinute, state.now), (perMinute, now));
        if (tokens.Capacity != perMinute)
        {
            tokens = _buckets[bucket] = new TokenBucket(perMinute, now);
        }
        return ValueTask.FromResult(tokens.TryTake(now, time.TimestampFrequency));
    }
}
