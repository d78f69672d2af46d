using Hatbox.Common.Errors;
using Npgsql;

namespace Hatbox.Features.Db.Postgres;

/// <summary>
/// The server's answer to the caller's own statement, as the same codes the SQLite engine gives.
/// Messages quote PostgreSQL's primary text only (no detail, hint or internal query of ours).
/// </summary>
internal static class PostgresErrors
{
    public static ApiError Map(PostgresException e, DbEnvironment environment, DbOptions options) => e.SqlState switch
    {
        // query_canceled: statement_timeout or the command timeout's server-side cancel.
        PostgresErrorCodes.QueryCanceled => DbErrors.Timeout(options.QueryTimeout),
        PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.TooManyConnections
            or PostgresErrorCodes.SerializationFailure => DbErrors.Busy(),
        PostgresErrorCodes.InsufficientPrivilege => DbErrors.NotAllowed("This statement"),
        PostgresErrorCodes.UndefinedTable when Quoted(e.MessageText) is { } table => DbErrors.TableNotFound(table, environment, "query"),
        PostgresErrorCodes.UndefinedColumn when Quoted(e.MessageText) is { } column => DbErrors.ColumnNotFound(column, "query"),
        PostgresErrorCodes.OutOfMemory => DbErrors.MemoryExceeded(),
        PostgresErrorCodes.DiskFull => DbErrors.StorageFull(),
        var state when state.StartsWith("23", StringComparison.Ordinal) => DbErrors.Constraint(e.MessageText),
        // Class 08 (connection) and 57P (shutting down, starting up): the server is going or not yet back.
        var state when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal)
            => StoreUnavailableException.ErrorFor(StoreNames.Tenants),
        // 58 (system), XX (internal) are ours, not the caller's.
        var state when state.StartsWith("58", StringComparison.Ordinal) || state.StartsWith("XX", StringComparison.Ordinal) => DbErrors.Busy(),
        _ => DbErrors.Sql(e.MessageText),
    };

    /// <summary>The first <c>"name"</c> in a message such as <c>relation "users" does not exist</c>.</summary>
    static string? Quoted(string message)
    {
        var open = message.IndexOf('"', StringComparison.Ordinal);
        var close = open < 0 ? -1 : message.IndexOf('"', open + 1);
        return close > open ? message[(open + 1)..close] : null;
    }
}
