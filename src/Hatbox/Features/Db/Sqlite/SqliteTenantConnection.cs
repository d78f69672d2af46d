using System.Diagnostics;
using SQLitePCL;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// One open connection to one tenant's database, never shared with another tenant, set up in the
/// order of reference/security.md §b.1 item 5: the platform's PRAGMAs first, then defensive mode
/// and the other <c>db_config</c> switches, the limits, the authorizer and the progress handler.
/// Once the authorizer is on, not even the platform runs a PRAGMA on it.
/// </summary>
internal sealed class SqliteTenantConnection : IDisposable
{
    /// <summary>VM instructions between deadline checks: a few microseconds of work.</summary>
    const int ProgressInterval = 1000;

    /// <summary>
    /// A WAL past this is checkpointed and truncated right after the write that grew it: its bytes
    /// count toward the storage quota, and a rolled-back runaway statement leaves its pages there.
    /// </summary>
    internal const long WalTrimBytes = 1024 * 1024;

    const int BusyTimeoutMilliseconds = 5000;

    readonly SqliteGuard _guard = new();
    // Held here too: SQLite keeps only a native pointer to these callbacks.
    readonly strdelegate_authorizer _authorize;
    readonly delegate_progress _progress;
    long _deadline = long.MaxValue;
    CancellationToken _cancellation;

    readonly string _walPath;
    long _maxPages;

    SqliteTenantConnection(sqlite3 handle, SqliteConnectionKind kind, string path)
    {
        Handle = handle;
        Kind = kind;
        _walPath = path + "-wal";
        _authorize = _guard.Authorize;
        _progress = OnProgress;
    }

    public sqlite3 Handle { get; }

    public SqliteConnectionKind Kind { get; }

    public SqliteGuard Guard => _guard;

    public long LastUsed { get; set; }

    /// <summary>False after a statement left a transaction open, which cannot happen unless something is wrong: such a connection is closed, not reused.</summary>
    public bool IsClean => raw.sqlite3_get_autocommit(Handle) != 0;

    public static SqliteTenantConnection Open(string path, SqliteConnectionKind kind, DbOptions options)
    {
        Batteries_V2.Init();
        var flags = kind switch
        {
            SqliteConnectionKind.Writer => raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_CREATE,
            SqliteConnectionKind.Reader => raw.SQLITE_OPEN_READWRITE,
            _ => raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_MEMORY,
        };
        var rc = raw.sqlite3_open_v2(kind == SqliteConnectionKind.Empty ? ":memory:" : path, out var handle, flags, null);
        if (rc != raw.SQLITE_OK)
        {
            var message = handle is null || handle.IsInvalid ? raw.sqlite3_errstr(rc).utf8_to_string() : raw.sqlite3_errmsg(handle).utf8_to_string();
            handle?.Dispose();
            throw new IOException($"Could not open a tenant database (SQLite {rc}: {message}).");
        }
        var connection = new SqliteTenantConnection(handle, kind, path);
        try
        {
            connection.Configure(options);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    void Configure(DbOptions options)
    {
        raw.sqlite3_extended_result_codes(Handle, 1);
        Exec(Kind switch
        {
            // auto_vacuum only takes on a new, empty file: it makes deletes give space back, so a
            // tenant at the storage quota can free room without VACUUM (which is denied). The
            // journal size limit shrinks the WAL after a big write, as it too counts toward the quota.
            SqliteConnectionKind.Writer => $"""
                PRAGMA auto_vacuum=FULL; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
                PRAGMA journal_size_limit={4 * 1024 * 1024}; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;
                PRAGMA busy_timeout={BusyTimeoutMilliseconds};
                """,
            SqliteConnectionKind.Reader =>
                $"PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA query_only=1;",
            _ => "PRAGMA trusted_schema=OFF; PRAGMA query_only=1;",
        });

        // Read back, not assumed: an answered write must be on disk, and a file connection that is
        // not FULL (a SQLite build with another default, a PRAGMA that did not take) must not serve.
        Synchronous = Pragma("PRAGMA synchronous");
        if (Kind != SqliteConnectionKind.Empty && Synchronous != FullSynchronous)
        {
            throw new IOException($"A tenant database connection runs with synchronous={Synchronous}, not FULL.");
        }
        PageSize = Pragma("PRAGMA page_size");
        _maxPages = Math.Max(1, options.MaxDatabaseBytes / PageSize);
        if (Kind == SqliteConnectionKind.Writer)
        {
            Pragma($"PRAGMA max_page_count={_maxPages}");
        }

        DbConfig(raw.SQLITE_DBCONFIG_DEFENSIVE, 1);
        DbConfig(raw.SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0);
        DbConfig(raw.SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0);
        DbConfig(raw.SQLITE_DBCONFIG_ENABLE_TRIGGER, 0);
        DbConfig(raw.SQLITE_DBCONFIG_ENABLE_VIEW, 0);
        DbConfig(raw.SQLITE_DBCONFIG_DQS_DML, 0);
        DbConfig(raw.SQLITE_DBCONFIG_DQS_DDL, 0);

        SqliteLimits.Apply(Handle, options);

        raw.sqlite3_set_authorizer(Handle, _authorize, null);
        raw.sqlite3_progress_handler(Handle, ProgressInterval, _progress, null);
    }

    const long FullSynchronous = 2;

    public long PageSize { get; private set; }

    /// <summary>The connection's <c>PRAGMA synchronous</c> as SQLite reports it: 2 (FULL) on every file connection.</summary>
    public long Synchronous { get; private set; }

    /// <summary>
    /// Lets the database grow by at most <paramref name="bytes"/> (and never past <c>Db:MaxDatabaseBytes</c>)
    /// until <see cref="RemoveGrowthLimit"/>: a statement that would pass it fails with SQLITE_FULL
    /// while it runs. Answers the page count now, for <see cref="GrowthSince"/>.
    /// </summary>
    public long LimitGrowth(long bytes)
    {
        var pages = PlatformPragma("PRAGMA page_count");
        // SQLite never sets it below the current size, so a full database can still shrink.
        PlatformPragma($"PRAGMA max_page_count={Math.Min(_maxPages, pages + (Math.Max(0, bytes) / PageSize))}");
        return pages;
    }

    /// <summary>Bytes the database grew (or, negative, shrank) by since it had <paramref name="pages"/> pages.</summary>
    public long GrowthSince(long pages) => (PlatformPragma("PRAGMA page_count") - pages) * PageSize;

    public void RemoveGrowthLimit() => PlatformPragma($"PRAGMA max_page_count={_maxPages}");

    /// <summary>
    /// Checkpoints and truncates a WAL past <see cref="WalTrimBytes"/>, without waiting: if a reader
    /// holds an old snapshot the checkpoint gives up (SQLITE_BUSY) and the next write tries again.
    /// </summary>
    public void TrimWal()
    {
        var wal = new FileInfo(_walPath);
        if (!wal.Exists || wal.Length <= WalTrimBytes)
        {
            return;
        }
        raw.sqlite3_busy_timeout(Handle, 0);
        try
        {
            _ = raw.sqlite3_wal_checkpoint_v2(Handle, "main", raw.SQLITE_CHECKPOINT_TRUNCATE, out _, out _);
        }
        finally
        {
            raw.sqlite3_busy_timeout(Handle, BusyTimeoutMilliseconds);
        }
    }

    /// <summary>A PRAGMA of the platform's on a connection whose authorizer denies them to callers; answers its first value.</summary>
    long PlatformPragma(string sql)
    {
        _guard.PlatformPragma = true;
        try
        {
            return Pragma(sql);
        }
        finally
        {
            _guard.PlatformPragma = false;
        }
    }

    long Pragma(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(Handle, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            throw new IOException($"Could not run a platform PRAGMA on a tenant database (SQLite {rc}: {raw.sqlite3_errmsg(Handle).utf8_to_string()}).");
        }
        using (statement)
        {
            rc = raw.sqlite3_step(statement);
            if (rc is not raw.SQLITE_ROW and not raw.SQLITE_DONE)
            {
                throw new IOException($"A platform PRAGMA failed on a tenant database (SQLite {rc}: {raw.sqlite3_errmsg(Handle).utf8_to_string()}).");
            }
            return rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(statement, 0) : 0;
        }
    }

    /// <summary>Starts the clock for one statement; dispose the scope when the statement is done.</summary>
    public DeadlineScope StartDeadline(TimeSpan budget, CancellationToken cancellationToken)
    {
        _guard.Reset();
        DeadlinePassed = false;
        _cancellation = cancellationToken;
        _deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        return new DeadlineScope(this);
    }

    /// <summary>Non-zero interrupts the statement (SQLITE_INTERRUPT): past the deadline, or the caller hung up.</summary>
    int OnProgress(object? state)
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            DeadlinePassed = true;
            return 1;
        }
        return _cancellation.IsCancellationRequested ? 1 : 0;
    }

    /// <summary>The last statement was interrupted by its deadline (not by the caller hanging up).</summary>
    public bool DeadlinePassed { get; private set; }

    void Exec(string sql)
    {
        var rc = raw.sqlite3_exec(Handle, sql, null, null, out var error);
        if (rc != raw.SQLITE_OK)
        {
            throw new IOException($"Could not set up a tenant database (SQLite {rc}: {error}).");
        }
    }

    void DbConfig(int option, int value)
    {
        var rc = raw.sqlite3_db_config(Handle, option, value, out var now);
        if (rc != raw.SQLITE_OK || now != value)
        {
            throw new InvalidOperationException($"SQLite refused db_config {option}={value} (rc {rc}, now {now}).");
        }
    }

    public void Dispose() => Handle.Dispose();

    internal readonly struct DeadlineScope(SqliteTenantConnection connection) : IDisposable
    {
        public void Dispose()
        {
            connection._deadline = long.MaxValue;
            connection._cancellation = default;
        }
    }
}

internal enum SqliteConnectionKind
{
    /// <summary>The one connection per database that writes, creating the file on first use.</summary>
    Writer,
    /// <summary>Reads an existing file; <c>query_only</c>, so a write would fail even if it got this far.</summary>
    Reader,
    /// <summary>An empty in-memory database that stands in for a file not yet created, so reads and refusals create nothing.</summary>
    Empty,
}
