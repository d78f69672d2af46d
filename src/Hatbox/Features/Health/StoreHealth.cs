using System.Collections.Concurrent;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Common.Redis;
using Hatbox.Features.Db.Postgres;
using Hatbox.Features.Storage;
using Hatbox.Features.Storage.S3;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Health;

/// <summary>
/// Checks once a second that each shared store this node uses still answers (the tenants'
/// PostgreSQL, Redis, the S3 bucket; the platform store has <see cref="PlatformDatabaseProbe"/>),
/// so that <c>/health</c> names the one that is down without touching any of them. A store that
/// comes back gets its pools cleared: the connections pooled before the outage are all dead.
/// Embedded stores (SQLite files, the local folder) live with the process and are not probed.
/// </summary>
internal sealed partial class StoreHealth : PeriodicWorker
{
    /// <summary>A store's state in <c>/health</c>: answering, not answering, or not used by this node.</summary>
    public const string Ok = "ok", Down = "down", Unused = "unused";

    readonly Dictionary<string, StoreProbe> _probes = [];
    readonly ConcurrentDictionary<string, bool> _answering = new();
    readonly ILogger<StoreHealth> _logger;

    public StoreHealth(IServiceProvider services, TimeProvider time, ILogger<StoreHealth> logger) : base(time)
    {
        _logger = logger;
        // By the engine chosen, not the seam's type: the seam is wrapped (change feed, space reclaim).
        if (services.GetRequiredService<IOptions<TenantStoreOptions>>().Value.UsesPostgres)
        {
            var tenants = services.GetRequiredService<PostgresTenantDatabaseProvider>();
            _probes[StoreNames.Tenants] = new(tenants.AnswersAsync, tenants.ClearPools, () => null);
        }
        if (services.GetService<RedisConnection>() is { } redis)
        {
            // The multiplexer reconnects by itself; it is only asked whether it is connected.
            _probes[StoreNames.Redis] = new(_ => Task.FromResult(redis.IsConnected), () => { }, () => null);
        }
        if (services.GetRequiredService<IBlobStore>() is S3BlobStore bucket)
        {
            _probes[StoreNames.Storage] = new(bucket.AnswersAsync, () => { }, () => bucket.LastProbeFailure);
        }
        foreach (var name in _probes.Keys)
        {
            _answering[name] = true;
        }
    }

    /// <summary><see cref="Ok"/>, <see cref="Down"/> or <see cref="Unused"/>, from the last check.</summary>
    public string StateOf(string service) =>
        _answering.TryGetValue(service, out var answering) ? (answering ? Ok : Down) : Unused;

    public bool AllAnswering => _answering.Values.All(answering => answering);

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    protected override bool RunAtStart => true;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_probes.Select(probe => CheckAsync(probe.Key, probe.Value, cancellationToken)));

    async Task CheckAsync(string service, StoreProbe probe, CancellationToken cancellationToken)
    {
        var answering = await probe.AnswersAsync(cancellationToken);
        var before = _answering[service];
        _answering[service] = answering;
        if (answering == before)
        {
            return;
        }
        LogStateChanged(_logger, service, answering ? Ok : Down, answering ? null : probe.LastFailure());
        if (answering)
        {
            probe.Recovered();
        }
    }

    sealed record StoreProbe(Func<CancellationToken, Task<bool>> AnswersAsync, Action Recovered, Func<string?> LastFailure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Service} store is now {State} {Reason}")]
    static partial void LogStateChanged(ILogger logger, string service, string state, string? reason);
}

internal static class StoreHealthServiceCollectionExtensions
{
    /// <summary>The probes of the shared stores, read by <c>/health</c>.</summary>
    public static IServiceCollection AddStoreHealth(this IServiceCollection services)
    {
        services.AddSingleton<StoreHealth>();
        services.AddHostedService(provider => provider.GetRequiredService<StoreHealth>());
        return services;
    }
}
