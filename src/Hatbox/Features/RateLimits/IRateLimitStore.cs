namespace Hatbox.Features.RateLimits;

/// <summary>
/// Where request-rate buckets live. The in-process store is exact on one node; a Redis store (a
/// Lua script per take) makes the same decisions across nodes without touching the pipeline.
/// </summary>
internal interface IRateLimitStore
{
    ValueTask<RateLimitDecision> TakeAsync(string bucket, int perMinute, CancellationToken cancellationToken);
}
