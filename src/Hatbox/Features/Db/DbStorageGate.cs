using System.Collections.Concurrent;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Plans;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Db;

/// <summary>
/// The storage quota in front of every write that may grow a database. Measuring walks folders and
/// queries every feature's meter, which would cost more than the write itself, so an organization's
/// measurement is reused for <see cref="DbOptions.StorageMeasureCacheMilliseconds"/>, and each write
/// let through adds its size to it in the meantime, so the estimate only errs on the safe side.
/// <see cref="AllowanceFor"/> then limits the statement itself while it runs (the SQLite engine sets
/// <c>max_page_count</c> from it), and the bytes it really added are added to the measurement.
/// </summary>
internal sealed class DbStorageGate(PlanCatalog plans, IOptions<DbOptions> options, TimeProvider time)
{
    readonly ConcurrentDictionary<string, Measurement> _measured = new(StringComparer.Ordinal);

    /// <summary>
    /// Null when <paramref name="growth"/> more bytes fit the plan. <paramref name="requestServices"/>
    /// gives <see cref="StorageQuota"/> only when a measurement is due: building it builds the meters
    /// and their database context, which a read should never pay for.
    /// </summary>
    public async Task<ApiError?> CheckAsync(ApiCaller caller, long growth, IServiceProvider requestServices, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var maxAge = TimeSpan.FromMilliseconds(options.Value.StorageMeasureCacheMilliseconds);
        if (!_measured.TryGetValue(caller.OrganizationId, out var measurement) || time.GetElapsedTime(measurement.At, now) >= maxAge)
        {
            var used = await requestServices.GetRequiredService<StorageQuota>().UsedBytesAsync(caller.OrganizationId, cancellationToken);
            measurement = new Measurement(used, now);
            _measured[caller.OrganizationId] = measurement;
        }
        var limit = plans.Get(caller.Plan).StorageBytes;
        var after = Interlocked.Add(ref measurement.Used, growth);
        if (after <= limit)
        {
            return null;
        }
        Interlocked.Add(ref measurement.Used, -growth);
        return new ApiError(StatusCodes.Status413PayloadTooLarge, ErrorTypes.InvalidRequest, StorageQuota.ExceededCode,
            $"This organization's plan stores up to {limit} bytes and {after - growth} are in use.");
    }

    /// <summary>Drops the organization's measurement, so its next write measures again (after space was given back).</summary>
    public void Forget(string organizationId) => _measured.TryRemove(organizationId, out _);

    /// <summary>The plan's storage left to <paramref name="caller"/>'s organization, for one statement while it runs.</summary>
    public IStorageAllowance AllowanceFor(ApiCaller caller) => new Allowance(this, caller.OrganizationId, plans.Get(caller.Plan).StorageBytes);

    sealed class Allowance(DbStorageGate gate, string organizationId, long limit) : IStorageAllowance
    {
        // The measurement of the moment: a newer one already includes what older statements added.
        public long RemainingBytes() =>
            gate._measured.TryGetValue(organizationId, out var measurement) ? Math.Max(0, limit - Volatile.Read(ref measurement.Used)) : limit;

        public void Grew(long bytes)
        {
            if (bytes != 0 && gate._measured.TryGetValue(organizationId, out var measurement))
            {
                Interlocked.Add(ref measurement.Used, bytes);
            }
        }
    }

    sealed class Measurement(long used, long at)
    {
        public long Used = used;
        public long At { get; } = at;
    }
}
