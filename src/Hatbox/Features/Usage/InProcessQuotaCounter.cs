using System.Collections.Concurrent;

namespace Hatbox.Features.Usage;

/// <summary>
/// Requests admitted this month per organization, in memory, seeded once from the stored totals.
/// A new month is a new counter (the key holds the month), so the rollover resets exactly once
/// and an old month's count is never touched again. Exact on one node; <see cref="RedisQuotaCounter"/>
/// replaces it for several.
/// </summary>
internal sealed class InProcessQuotaCounter(IServiceScopeFactory scopes) : IQuotaCounter
{
    readonly ConcurrentDictionary<(string Organization, string Month), Lazy<Task<long[]>>> _counters = new();

    public async ValueTask<(bool Admitted, long Count)> TryAdmitAsync(string organizationId, string month, long? limit, CancellationToken cancellationToken)
    {
        var counter = await CounterAsync(organizationId, month);
        var count = Interlocked.Increment(ref counter[0]);
        if (limit is { } max && count > max)
        {
            Interlocked.Decrement(ref counter[0]);
            return (false, count - 1);
        }
        return (true, count);
    }

    public async ValueTask<long> CountAsync(string organizationId, string month, CancellationToken cancellationToken) =>
        Volatile.Read(ref (await CounterAsync(organizationId, month))[0]);

    // The factory takes this counter as its argument, so a lookup of an existing counter allocates no delegate.
    Task<long[]> CounterAsync(string organizationId, string month) =>
        _counters.GetOrAdd((organizationId, month),
            static (key, self) => new Lazy<Task<long[]>>(() => self.LoadAsync(key.Organization, key.Month)), this).Value;

    // Not cancelled by the request that happens to load it: every later request shares the result.
    async Task<long[]> LoadAsync(string organizationId, string month) =>
        [await StoredUsage.AdmittedAsync(scopes, organizationId, month, CancellationToken.None)];
}
