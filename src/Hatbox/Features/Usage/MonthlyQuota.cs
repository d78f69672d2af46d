using System.Collections.Concurrent;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Usage;

/// <summary>
/// Requests admitted this month per organization, in memory, seeded once from the stored totals.
/// A new month is a new counter (the key holds the month), so the rollover resets exactly once
/// and an old month's count is never touched again. Exact on one node; a Redis counter (INCR on
/// <c>org:month</c>) replaces it for several nodes.
/// </summary>
internal sealed class MonthlyQuota(IServiceScopeFactory scopes)
{
    readonly ConcurrentDictionary<(string Organization, string Month), Lazy<Task<long[]>>> _counters = new();

    /// <summary>Counts one request; false (and not counted) when it would pass <paramref name="limit"/>.</summary>
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

    public async ValueTask<long> CountAsync(string organizationId, string month) => Volatile.Read(ref (await CounterAsync(organizationId, month))[0]);

    Task<long[]> CounterAsync(string organizationId, string month) =>
        _counters.GetOrAdd((organizationId, month), key => new Lazy<Task<long[]>>(() => LoadAsync(key.Organization, key.Month))).Value;

    async Task<long[]> LoadAsync(string organizationId, string month)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var prefix = month + "-";
        // Requests refused for quota or rate were metered but never admitted.
        var stored = await db.UsageDaily.Where(u => u.OrganizationId == organizationId && u.Day.StartsWith(prefix) && u.StatusCode != 429)
            .SumAsync(u => (long?)u.Requests) ?? 0;
        return [stored];
    }
}
