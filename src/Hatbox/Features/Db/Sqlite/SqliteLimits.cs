using SQLitePCL;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// <c>sqlite3_limit</c> values for tenant connections: sqlite.org/security.html's advice, loosened
/// where its high-security values would break ordinary queries (reference/security.md §b.1).
/// </summary>
internal static class SqliteLimits
{
    public const int ExpressionDepth = 100;
    public const int CompoundSelect = 50;
    public const int FunctionArguments = 100;
    public const int LikePatternLength = 10_000;
    /// <summary>
    /// Tenant triggers are off (<c>SQLITE_DBCONFIG_ENABLE_TRIGGER</c>), but foreign-key actions run
    /// as triggers: each level of an <c>ON DELETE CASCADE</c> chain is one. security.md's 10.
    /// </summary>
    public const int TriggerDepth = 10;

    public static void Apply(sqlite3 handle, DbOptions options)
    {
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_ATTACHED, 0);
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_LENGTH, options.MaxValueBytes);
        // Room for the platform's own insert and update statements, which name every column twice.
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_SQL_LENGTH, options.MaxStatementBytes * 2 + 16_384);
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_COLUMN, options.MaxColumns);
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_EXPR_DEPTH, ExpressionDepth);
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_COMPOUND_SELECT, CompoundSelect);
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_FUNCTION_ARG, FunctionArguments);
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, LikePatternLength);
        // The request's own cap is MaxParameters; insert and update bind up to two per column.
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_VARIABLE_NUMBER, Math.Max(options.MaxParameters, options.MaxColumns * 2));
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_TRIGGER_DEPTH, TriggerDepth);
        raw.sqlite3_limit(handle, raw.SQLITE_LIMIT_WORKER_THREADS, 0);
    }
}
