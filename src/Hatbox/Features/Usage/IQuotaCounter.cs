namespace Hatbox.Features.Usage;

/// <summary>
/// Requests admitted per organization and billing month. The in-process counter is exact on one
/// node; <see cref="RedisQuotaCounter"/> makes the same decisions across nodes without touching the
/// pipeline. Both start a month's count from the stored usage (<see cref="StoredUsage"/>), so a
/// restart does not reset a quota.
/// </summary>
internal interface IQuotaCounter
{
    /// <summary>Counts one request; false (and not counted) when it would pass <paramref name="limit"/> (null: no limit).</summary>
    ValueTask<(bool Admitted, long Count)> TryAdmitAsync(string organizationId, string month, long? limit, CancellationToken cancellationToken);

    ValueTask<long> CountAsync(string organizationId, string month, CancellationToken cancellationToken);
}
