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
    const string Pragmas = "PRAGMA synchronous=FULL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
