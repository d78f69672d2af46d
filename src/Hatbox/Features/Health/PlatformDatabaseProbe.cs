using Hatbox.Data;
using Microsoft.Data.Sqlite;

namespace Hatbox.Features.Health;

/// <summary>
/// Checks once a second that the platform database still answers, on a fresh unpooled
/// connection so that a deleted or damaged file is noticed (a pooled handle would keep reading
/// the unlinked file).
/// </summary>
internal sealed partial class PlatformDatabaseProbe(PlatformDatabase database, TimeProvider time, ILogger<PlatformDatabaseProbe> logger)
    : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    volatile bool _healthy = true;

    public bool IsHealthy => _healthy;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                var healthy = await CheckAsync(stoppingToken);
                if (healthy != _healthy)
                {
                    LogStateChanged(logger, healthy ? "ok" : "down");
                }
                _healthy = healthy;
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(database.ProbeConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM __EFMigrationsHistory";
            command.CommandTimeout = 2;
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Platform database is now {State}")]
    static partial void LogStateChanged(ILogger logger, string state);
}
