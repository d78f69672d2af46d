using Hatbox.Common.Readiness;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hatbox.Data;

/// <summary>The platform database migrates itself on start, as PocketBase does.</summary>
internal static partial class PlatformDatabaseMigrator
{
    // Any fixed number: every node that starts at the same time takes the same lock.
    const long PostgresMigrationLock = 0x4861_7462_6f78; // "Hatbox"

    /// <summary>Migrates, waiting for another node that is migrating the same PostgreSQL database right now.</summary>
    public static Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        TryMigrateAsync(services, waitForOtherNodes: true, cancellationToken);

    /// <summary>
    /// Migrates; false, having done nothing, when another node holds the migration lock and
    /// <paramref name="waitForOtherNodes"/> is off (a start that must not block on a peer's migration).
    /// </summary>
    public static async Task<bool> TryMigrateAsync(IServiceProvider services, bool waitForOtherNodes, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<HatboxDbContext>>();
        var database = scope.ServiceProvider.GetRequiredService<PlatformDatabase>();

        if (database.IsPostgres)
        {
            if (!await MigratePostgresAsync(db, database, waitForOtherNodes, cancellationToken))
            {
                return false;
            }
        }
        else
        {
            await db.Database.MigrateAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Count();
        LogMigrated(logger, applied);
        // A server's start-up then finds nothing left to migrate (tests and benchmarks migrate before they start).
        services.GetService<PlatformReadiness>()?.MarkMigrated();
        return true;
    }

    /// <summary>
    /// Nodes of a cluster start together and each migrates: a session-level advisory lock, held on
    /// a connection of its own, lets one run the migrations while the others wait and then find nothing to do.
    /// </summary>
    static async Task<bool> MigratePostgresAsync(HatboxDbContext db, PlatformDatabase database, bool wait, CancellationToken cancellationToken)
    {
        // Not the probe's 2-second connect timeout: nodes starting together on a busy host need longer.
        await using var lockConnection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await lockConnection.OpenAsync(cancellationToken);
        if (!await TakeLockAsync(lockConnection, wait, cancellationToken))
        {
            return false;
        }
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
            return true;
        }
        finally
        {
            await ReleaseLockAsync(lockConnection);
        }
    }

    static async Task<bool> TakeLockAsync(NpgsqlConnection connection, bool wait, CancellationToken cancellationToken)
    {
        if (wait)
        {
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({PostgresMigrationLock})", connection) { CommandTimeout = 0 };
            await take.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        await using var attempt = new NpgsqlCommand($"SELECT pg_try_advisory_lock({PostgresMigrationLock})", connection);
        return await attempt.ExecuteScalarAsync(cancellationToken) is true;
    }

    static async Task ReleaseLockAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({PostgresMigrationLock})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The server went away mid-migration: the session, and the lock with it, is gone; the
            // migration's own failure is what the caller needs to see.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Platform database ready ({MigrationCount} migrations applied)")]
    static partial void LogMigrated(ILogger logger, int migrationCount);
}
