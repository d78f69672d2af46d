using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Hatbox.Data;

/// <summary>
/// Every platform connection runs with <c>synchronous=FULL</c>: in WAL mode the default (NORMAL)
/// can lose the last commits on power loss, and an answered write must survive.
/// <c>journal_mode=WAL</c> is stored in the file itself and set once by <see cref="PlatformDatabaseMigrator"/>.
/// </summary>
internal sealed class SqliteDurabilityInterceptor : DbConnectionInterceptor
{
    // Set, then read back in the same call: a connection that did not take it must not serve.
    const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA synchronous;";
    const long Full = 2;
    // Writers that meet a lock (the usage and flow-run group commits share one file) wait in SQLite's
    // own busy handler, which retries within milliseconds; without it Microsoft.Data.Sqlite retries
    // every 150 ms, which put up to 150 ms on a request for every collision. Same bound as its 30 s.
    const string BusyTimeout = "PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        Check(command.ExecuteScalar());
        command.CommandText = BusyTimeout;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        Check(await command.ExecuteScalarAsync(cancellationToken));
        command.CommandText = BusyTimeout;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    static void Check(object? synchronous)
    {
        if (Convert.ToInt64(synchronous, System.Globalization.CultureInfo.InvariantCulture) != Full)
        {
            throw new InvalidOperationException($"A platform database connection runs with synchronous={synchronous}, not FULL.");
        }
    }
}
