using Microsoft.EntityFrameworkCore;

namespace Hatbox.Data;

/// <summary>The embedded database migrates itself on start, as PocketBase does.</summary>
internal static partial class PlatformDatabaseMigrator
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILogger<HatboxDbContext>>();

        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Count();
        LogMigrated(logger, applied);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Platform database ready ({MigrationCount} migrations applied)")]
    static partial void LogMigrated(ILogger logger, int migrationCount);
}
