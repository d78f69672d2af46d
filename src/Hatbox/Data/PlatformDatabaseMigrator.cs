using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Hatbox.Data;

/// <summary>The platform database migrates itself on start, as PocketBase does.</summary>
internal static partial class PlatformDatabaseMigrator
{
    // Any fixed number: every node that starts at the same time takes the same lock.
    const long PostgresMigrationLock = 0x4861_7462_6f78; // "Hatbox"

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<HatboxDbContext>>();
        var database = scope.ServiceProvider.GetRequiredService<PlatformDatabase>();

        if (database.IsPostgres)
        {
            await MigratePostgresAsync(db, database, cancellationToken);
        }
        else
        {
            await db.Database.MigrateAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Count();
        LogMigrated(logger, applied);
    }

    /// <summary>
    /// Nodes of a cluster start together and each migrates: a session-level advisory lock, held on
    /// a connection of its own, lets one run the migrations while the others wait and then find nothing to do.
    /// </summary>
    static async Task MigratePostgresAsync(HatboxDbContext db, PlatformDatabase database, CancellationToken cancellationToken)
    {
        // Not the probe's 2-second connect timeout: nodes starting together on a busy host need longer.
        await using var lockConnection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({PostgresMigrationLock})", lockConnection) { CommandTimeout = 0 })
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({PostgresMigrationLock})", lockConnection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Platform database ready ({MigrationCount} migrations applied)")]
    static partial void LogMigrated(ILogger logger, int migrationCount);
}
