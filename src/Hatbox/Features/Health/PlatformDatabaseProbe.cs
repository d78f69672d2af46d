using Hatbox.Common;
using Hatbox.Data;
using System.Data.Common;

namespace Hatbox.Features.Health;

/// <summary>
/// Checks once a second that the platform database still answers, on a fresh unpooled
/// connection so that a deleted or damaged file is noticed (a pooled handle would keep reading
/// the unlinked file).
/// </summary>
internal sealed partial class PlatformDatabaseProbe(PlatformDatabase database, TimeProvider time, ILogger<PlatformDatabaseProbe> logger)
    : PeriodicWorker(time)
{
    volatile bool _healthy = true;

    public bool IsHealthy => _healthy;

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    protected override bool RunAtStart => true;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => ProbeAsync(cancellationToken);

    async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var healthy = await CheckAsync(cancellationToken);
        if (healthy != _healthy)
        {
            LogStateChanged(logger, healthy ? "ok" : "down");
            if (healthy && database.IsPostgres)
            {
                // The server came back: the connections pooled before are dead, and the first request
                // to draw one would fail. EF Core's contexts use Npgsql's pool by connection string.
                Npgsql.NpgsqlConnection.ClearAllPools();
            }
        }
        _healthy = healthy;
    }

    async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = database.CreateProbeConnection();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM \"__EFMigrationsHistory\"";
            command.CommandTimeout = 2;
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is DbException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Platform database is now {State}")]
    static partial void LogStateChanged(ILogger logger, string state);
}
