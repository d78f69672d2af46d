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

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        Check(command.ExecuteScalar());
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        Check(await command.ExecuteScalarAsync(cancellationToken));
    }

    static void Check(object? synchronous)
    {
        if (Convert.ToInt64(synchronous, System.Globalization.CultureInfo.InvariantCulture) != Full)
        {
            throw new InvalidOperationException($"A platform database connection runs with synchronous={synchronous}, not FULL.");
        }
    }
}
