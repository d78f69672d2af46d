using System.Collections.Concurrent;
using System.Threading.Channels;
using Hatbox.Data;
using Hatbox.Features.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hatbox.Features.Db.Postgres;

/// <summary>
/// Gives a PostgreSQL tenant the space its deletes freed, as SQLite's <c>auto_vacuum=FULL</c> does:
/// PostgreSQL keeps a table's files at their size after <c>DELETE</c>, so a workspace at its plan's
/// limit would stay refused however many rows it deleted (and <c>DROP</c> is refused). After a
/// delete or update in a workspace whose organization uses at least <see cref="NearFraction"/> of
/// its plan, this runs, in the background and on the platform's login: a plain <c>VACUUM</c> of the
/// schema's tables (no exclusive lock; it gives back empty pages at a table's end), and when the
/// organization is still at or over its plan, so its writes are refused anyway, <c>VACUUM FULL</c>
/// of each table, which rewrites it at the size of its live rows. One node at a time per schema (a
/// session advisory lock); a node that gets the lock after another measures again first, so a
/// pass is not repeated for nothing.
/// </summary>
internal sealed partial class PostgresSpaceReclaimer(
    IOptions<TenantStoreOptions> store, IServiceScopeFactory scopes, PlanCatalog plans, DbStorageGate gate,
    ILogger<PostgresSpaceReclaimer> logger) : BackgroundService
{
    /// <summary>Below this share of the plan a table's free space is simply reused by later inserts.</summary>
    public const double NearFraction = 0.9;

    /// <summary>How long a <c>VACUUM FULL</c> waits for its exclusive lock (behind a tenant's open statement) before it gives up.</summary>
    const string LockTimeout = "2s";

    /// <summary>How long a node waits for another node's pass on the same schema.</summary>
    const string LockWait = "60s";

    readonly Channel<(string WorkspaceId, DbEnvironment Environment)> _queue =
        Channel.CreateUnbounded<(string, DbEnvironment)>(new UnboundedChannelOptions { SingleReader = true });

    // A schema queued once however many deletes come in before its pass starts.
    readonly ConcurrentDictionary<(string, DbEnvironment), byte> _pending = new();

    /// <summary>Passes finished on this node (for tests and logs).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    long _passes;

    /// <summary>A delete or update succeeded: space may be free to give back.</summary>
    public void Freed(string workspaceId, DbEnvironment environment)
    {
        if (store.Value.UsesPostgres && _pending.TryAdd((workspaceId, environment), 0))
            _queue.Writer.TryWrite((workspaceId, environment));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (workspaceId, environment) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            _pending.TryRemove((workspaceId, environment), out _);
            try
            {
                await ReclaimAsync(workspaceId, environment, stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The tenant's next delete tries again; a failed pass leaves the data as it was.
                LogFailed(logger, e, workspaceId, environment.Name());
            }
            Interlocked.Increment(ref _passes);
        }
    }

    async Task ReclaimAsync(string workspaceId, DbEnvironment environment, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var owner = await db.Workspaces.AsNoTracking()
            .Where(w => w.Id == workspaceId)
            .Join(db.Organizations, w => w.OrganizationId, o => o.Id, (w, o) => new { o.Id, o.Plan })
            .FirstOrDefaultAsync(cancellationToken);
        if (owner is null)
            return;
        var quota = scope.ServiceProvider.GetRequiredService<StorageQuota>();
        var limit = plans.Get(owner.Plan).StorageBytes;
        if (await quota.UsedBytesAsync(owner.Id, cancellationToken) < limit * NearFraction)
            return;

        var schema = PostgresTenantProvisioner.NameOf(workspaceId, environment);
        await using var connection = new NpgsqlConnection(store.Value.ConnectionString);
        connection.Notice += (_, e) => LogNotice(logger, schema, e.Notice.MessageText);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"SET statement_timeout = '{LockWait}'", cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock(hashtextextended('hatbox_reclaim/{schema}', 0))", cancellationToken);
        try
        {
            // Measured again under the lock: another node's pass may have done the work meanwhile.
            var used = await quota.UsedBytesAsync(owner.Id, cancellationToken);
            if (used < limit * NearFraction)
                return;
            await ExecuteAsync(connection, $"SET statement_timeout = 0; SET lock_timeout = '{LockTimeout}'", cancellationToken);
            var tables = await TablesAsync(connection, schema, cancellationToken);
            if (tables.Count == 0)
                return;
            // The names come from pg_class and are quoted; the schema is a hex digest.
            await ExecuteAsync(connection, "VACUUM " + string.Join(", ", tables.Select(t => Qualified(schema, t))), cancellationToken);
            var afterVacuum = await quota.UsedBytesAsync(owner.Id, cancellationToken);
            var full = afterVacuum >= limit;
            if (full)
            {
                // One table at a time, so each is locked only while it is rewritten.
                foreach (var table in tables)
                    await ExecuteAsync(connection, "VACUUM FULL " + Qualified(schema, table), cancellationToken);
            }
            gate.Forget(owner.Id);
            var now = await quota.UsedBytesAsync(owner.Id, cancellationToken);
            var environmentName = environment.Name();
            LogReclaimed(logger, workspaceId, environmentName, used, now, full);
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock_all()", CancellationToken.None);
        }
    }

    static async Task<List<string>> TablesAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'm') ORDER BY c.relname
            """, connection)
        { Parameters = { new() { Value = schema } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
            tables.Add(reader.GetString(0));
        return tables;
    }

    static string Qualified(string schema, string table) => $"\"{schema}\".\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Gave back space in workspace {WorkspaceId} ({Environment}): {Before} bytes in use before, {After} after (VACUUM FULL: {Full})")]
    static partial void LogReclaimed(ILogger logger, string workspaceId, string environment, long before, long after, bool full);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back space in workspace {WorkspaceId} ({Environment}) failed")]
    static partial void LogFailed(ILogger logger, Exception exception, string workspaceId, string environment);

    // VACUUM skips, with a warning, a table the login may not vacuum (neither its owner, the database's, nor a superuser).
    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back space in schema {Schema}: {Notice}")]
    static partial void LogNotice(ILogger logger, string schema, string notice);
}
