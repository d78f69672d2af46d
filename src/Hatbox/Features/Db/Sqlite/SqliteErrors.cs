using Hatbox.Common.Errors;
using SQLitePCL;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// Turns a failed prepare, bind or step into the caller's error. Only the result codes that the
/// caller's own statement can cause carry SQLite's message; any other code is ours and becomes an
/// exception (a 500 that says nothing but the request id, with the detail in the log).
/// </summary>
internal static class SqliteErrors
{
    const string NoSuchTable = "no such table: ";
    const string NoSuchColumn = "no such column: ";

    public static ApiError Map(SqliteTenantConnection connection, int rc, DbEnvironment environment, DbOptions options)
    {
        var message = raw.sqlite3_errmsg(connection.Handle).utf8_to_string() ?? "";
        // A denied function fails with SQLITE_ERROR ("not authorized to use function"), not SQLITE_AUTH.
        if (connection.Guard.Denied is { } denied && (rc & 0xff) is raw.SQLITE_AUTH or raw.SQLITE_ERROR)
        {
            return DbErrors.NotAllowed(denied);
        }
        return (rc & 0xff) switch
        {
            raw.SQLITE_AUTH => DbErrors.NotAllowed("This statement"),
            // Interrupted by the progress handler: past the deadline, or the caller hung up.
            raw.SQLITE_INTERRUPT => DbErrors.Timeout(options.QueryTimeout),
            // Past the process's SQLite heap limit (SqliteHeapLimit): the statement held too much at once.
            raw.SQLITE_NOMEM => DbErrors.MemoryExceeded(),
            raw.SQLITE_CONSTRAINT => DbErrors.Constraint(message),
            raw.SQLITE_FULL => DbErrors.StorageFull(),
            raw.SQLITE_BUSY or raw.SQLITE_LOCKED => DbErrors.Busy(),
            raw.SQLITE_ERROR or raw.SQLITE_MISMATCH or raw.SQLITE_RANGE or raw.SQLITE_TOOBIG => FromMessage(message, environment, options),
            _ => throw new IOException($"A tenant database failed (SQLite {rc}: {message})."),
        };
    }

    static ApiError FromMessage(string message, DbEnvironment environment, DbOptions options)
    {
        if (message.StartsWith(NoSuchTable, StringComparison.Ordinal))
        {
            var table = message[NoSuchTable.Length..];
            return DbErrors.TableNotFound(table.StartsWith("main.", StringComparison.Ordinal) ? table[5..] : table, environment, "query");
        }
        if (message.StartsWith(NoSuchColumn, StringComparison.Ordinal))
        {
            var column = message[NoSuchColumn.Length..];
            var hint = column.IndexOf(" - ", StringComparison.Ordinal);
            return DbErrors.ColumnNotFound(hint < 0 ? column : column[..hint], "query");
        }
        if (message.Contains("too many SQL variables", StringComparison.Ordinal)
            || message.StartsWith("variable number must be between", StringComparison.Ordinal))
        {
            return DbErrors.TooManyParameters(options.MaxParameters);
        }
        return DbErrors.Sql(message);
    }
}
