using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Db;

/// <summary>
/// The hard limits on tenant SQL (<c>Db:…</c> in configuration), named like PocketBase's
/// <c>runSQLMaxRows</c>; validated at start so a bad value fails the boot, not a request.
/// </summary>
internal sealed class DbOptions
{
    public const string SectionName = "Db";

    /// <summary>Wall-clock budget of one statement; a progress handler interrupts it past this.</summary>
    [Range(10, 600_000)] public int QueryTimeoutMilliseconds { get; set; } = 5_000;

    /// <summary>Rows one answer carries; more are cut and the answer says <c>truncated: true</c>.</summary>
    [Range(1, 1_000_000)] public int MaxRows { get; set; } = 10_000;

    /// <summary>Bytes of column values one answer carries before it is cut the same way.</summary>
    [Range(1024, 1L << 32)] public long MaxResultBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>UTF-8 bytes of one statement (also <c>SQLITE_LIMIT_SQL_LENGTH</c>).</summary>
    [Range(64, 1_000_000)] public int MaxStatementBytes { get; set; } = 100_000;

    /// <summary>Parameters one statement may use and one request may send.</summary>
    [Range(0, 32_766)] public int MaxParameters { get; set; } = 100;

    /// <summary>Largest string or blob a statement may build (<c>SQLITE_LIMIT_LENGTH</c>).</summary>
    [Range(1024, 1_000_000_000)] public int MaxValueBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Heap all SQLite connections of the process may hold (<c>sqlite3_hard_heap_limit64</c>); a
    /// statement that needs more fails with <c>query_memory_exceeded</c> instead of the process
    /// running out. Process-wide, platform database included, so it is generous; half of it is the
    /// soft limit, past which SQLite reuses cache pages rather than allocating more.
    /// </summary>
    [Range(256L * 1024 * 1024, long.MaxValue)] public long SqliteHeapLimitBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Columns of a table or a result (<c>SQLITE_LIMIT_COLUMN</c>).</summary>
    [Range(8, 2_000)] public int MaxColumns { get; set; } = 200;

    /// <summary>Statements that may read one database at the same time; more wait their turn.</summary>
    [Range(1, 256)] public int MaxReadersPerDatabase { get; set; } = 8;

    /// <summary>Open connections unused this long are closed.</summary>
    [Range(1, 86_400)] public int IdleConnectionSeconds { get; set; } = 60;

    /// <summary>One database file's ceiling (<c>max_page_count</c>), a backstop behind the plan's storage quota.</summary>
    [Range(1L << 20, long.MaxValue)] public long MaxDatabaseBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>How long an organization's measured storage is reused by the quota check in front of writes.</summary>
    [Range(0, 600_000)] public int StorageMeasureCacheMilliseconds { get; set; } = 2_000;

    /// <summary>
    /// Threads that run tenant SQL (SQLite's calls are synchronous), apart from the thread pool that
    /// answers every other request, and the statements that may run at once on the whole server.
    /// </summary>
    [Range(1, 256)] public int SqlThreads { get; set; } = 4;

    /// <summary>Statements one organization may run at once; the next wait their turn in <see cref="DbAdmission"/>.</summary>
    [Range(1, 256)] public int MaxConcurrentStatementsPerOrganization { get; set; } = 2;

    /// <summary>Statements of one organization that may wait for a turn; one more is <c>503 database_busy</c> at once.</summary>
    [Range(0, 10_000)] public int MaxQueuedStatementsPerOrganization { get; set; } = 128;

    /// <summary>How long a statement may wait for its turn before it is <c>503 database_busy</c> with <c>Retry-After</c>.</summary>
    [Range(0, 60_000)] public int MaxQueueWaitMilliseconds { get; set; } = 1_000;

    public TimeSpan QueryTimeout => TimeSpan.FromMilliseconds(QueryTimeoutMilliseconds);
}
