using Hatbox.Features.Db.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hatbox.Features.Ai.Index.Postgres;

/// <summary>
/// Every <see cref="TombstoneOptions.PruneIntervalSeconds"/>, on one node at a time (a session
/// advisory lock held for the pass; a node that finds it taken skips this round), deletes the
/// tombstones older than <see cref="TombstoneOptions.RetentionSeconds"/> from every index
/// registered in <c>hatbox_ai.stores</c> (<see cref="PostgresIndexStore.PruneTombstonesAsync"/>).
/// </summary>
internal sealed partial class TombstonePruner(
    IOptions<TenantStoreOptions> store, IOptions<TombstoneOptions> options, IServiceProvider services, ILogger<TombstonePruner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.Value.UsesPostgres)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PruneIntervalSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PruneOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    // The store may be away; the next round tries again, and tombstones only wait longer.
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round; answers the tombstones pruned, or null when another node holds the round.</summary>
    public async Task<long?> PruneOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(store.Value.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended('hatbox_ai_prune', 0))", connection))
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
                return null;
        }
        try
        {
            // Resolved here, not injected: on SQLite tenants the PostgreSQL stores cannot be made at all.
            var indexes = services.GetRequiredService<PostgresIndexStores>();
            var retention = TimeSpan.FromSeconds(options.Value.RetentionSeconds);
            long pruned = 0;
            foreach (var (workspaceId, environment) in await indexes.ListAsync(cancellationToken))
            {
                if (indexes.Get(workspaceId, environment) is PostgresIndexStore index)
                    pruned += await index.PruneTombstonesAsync(retention, cancellationToken);
            }
            if (pruned > 0)
                LogPruned(logger, pruned);
            return pruned;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Tombstones} search index tombstones")]
    static partial void LogPruned(ILogger logger, long tombstones);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning search index tombstones failed")]
    static partial void LogFailed(ILogger logger, Exception exception);
}
