using SQLitePCL;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// SQLite's memory ceiling. One row may hold <see cref="DbOptions.MaxColumns"/> values of
/// <see cref="DbOptions.MaxValueBytes"/> each, and a function as many arguments: gigabytes that
/// no per-value limit stops. SQLite has no per-connection memory limit, only this process-wide
/// one (reference/security.md §b.1), so it is set once, for every connection of the process.
/// </summary>
internal static class SqliteHeapLimit
{
    public static void Apply(DbOptions options)
    {
        Batteries_V2.Init();
        raw.sqlite3_hard_heap_limit64(options.SqliteHeapLimitBytes);
        raw.sqlite3_soft_heap_limit64(options.SqliteHeapLimitBytes / 2);
    }
}
