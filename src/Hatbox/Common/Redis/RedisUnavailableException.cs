namespace Hatbox.Common.Redis;

/// <summary>
/// Redis did not answer a counter operation (down, unreachable, timed out). The request cannot be
/// limited or counted exactly, so it is refused with <c>503 service_unavailable</c> rather than
/// served uncounted: a limit or a free plan's quota that silently lapses is worse than a retry.
/// </summary>
internal sealed class RedisUnavailableException(Exception inner) : Exception("Redis did not answer.", inner)
{
    /// <summary>What the client is told to wait: the connection is retried in the background within seconds.</summary>
    public const int RetryAfterSeconds = 1;
}
