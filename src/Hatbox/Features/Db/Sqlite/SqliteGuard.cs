using System.Collections.Frozen;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// The authorizer (<c>sqlite3_set_authorizer</c>) on every tenant connection: SQLite asks it about
/// each action a statement would take while compiling it, and about the SQL it runs internally
/// (VACUUM's ATTACH, a <c>pragma_*</c> table's PRAGMA) while stepping. Tables and indexes may be
/// created and altered, rows read and written; everything that reaches outside the file, changes
/// how it is kept, destroys schema or runs later in someone else's statement is denied
/// (reference/security.md §b.1, item 3). Codes are sqlite3.h's <c>SQLITE_*</c> action codes.
/// </summary>
internal sealed class SqliteGuard
{
    const int Ok = 0;
    const int Deny = 1;

    const int CreateIndex = 1, CreateTable = 2, CreateTempIndex = 3, CreateTempTable = 4, CreateTempTrigger = 5,
        CreateTempView = 6, CreateTrigger = 7, CreateView = 8, Delete = 9, DropIndex = 10, DropViewLast = 17,
        Insert = 18, Pragma = 19, Read = 20, Select = 21, Transaction = 22, Update = 23, Attach = 24, Detach = 25,
        AlterTable = 26, Reindex = 27, Analyze = 28, CreateVtable = 29, DropVtable = 30, Function = 31, Savepoint = 32,
        Recursive = 33;

    /// <summary>Read-only PRAGMAs about the caller's own schema; every other PRAGMA is denied.</summary>
    static readonly FrozenSet<string> AllowedPragmas = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list");

    /// <summary>
    /// Functions that touch files or native code. Most are not compiled into e_sqlite3, and
    /// extension loading is off on these connections; they are denied all the same, should a
    /// SQLitePCLRaw upgrade bring them in.
    /// </summary>
    static readonly FrozenSet<string> DeniedFunctions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer", "lsmode", "sqlar_compress",
        "sqlar_uncompress", "zipfile", "zipfile_cds");

    /// <summary>Eponymous tables that show the file's raw pages, the connection's statements or, via <c>pragma_*</c>, its settings and path.</summary>
    static readonly FrozenSet<string> DeniedTables = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "sqlite_dbpage", "sqlite_stmt", "dbstat", "fsdir");

    /// <summary>What the last refused statement tried, for the error message; null when nothing was refused.</summary>
    public string? Denied { get; private set; }

    public void Reset() => Denied = null;

    /// <summary>
    /// True only while the platform runs its own PRAGMA on the connection (<see cref="SqliteTenantConnection"/>'s
    /// size limit), never during a caller's statement.
    /// </summary>
    public bool PlatformPragma { get; set; }

    /// <summary>The authorizer callback: <paramref name="third"/> is the database name for most actions.</summary>
    public int Authorize(object? state, int action, string? first, string? second, string? third, string? trigger)
    {
        var refusal = action switch
        {
            Select or Recursive or Insert or Update or Delete or Reindex or Analyze => null,
            Read => IsHiddenTable(first) ? $"Reading {first}" : null,
            CreateTable or CreateIndex => third == "main" ? null : "Creating objects outside the main schema",
            // DROP COLUMN is the one ALTER TABLE that names a column here (alter.c): it destroys data.
            AlterTable => third is null ? null : "DROP COLUMN",
            Function => second is not null && DeniedFunctions.Contains(second) ? $"The function {second}()" : null,
            Pragma => PlatformPragma || (first is not null && AllowedPragmas.Contains(first)) ? null : "PRAGMA",
            Attach or Detach => "ATTACH, DETACH and VACUUM",
            Transaction or Savepoint => "Transaction control (each statement is its own transaction)",
            CreateTrigger or CreateTempTrigger => "CREATE TRIGGER",
            CreateView or CreateTempView => "CREATE VIEW",
            CreateTempTable or CreateTempIndex => "Temporary tables and indexes",
            >= DropIndex and <= DropViewLast or DropVtable => "DROP",
            CreateVtable => "CREATE VIRTUAL TABLE",
            _ => "This statement",
        };
        if (refusal is null)
        {
            return Ok;
        }
        Denied ??= refusal;
        return Deny;
    }

    static bool IsHiddenTable(string? table) =>
        table is not null
        && (DeniedTables.Contains(table)
            || (table.StartsWith("pragma_", StringComparison.OrdinalIgnoreCase) && !AllowedPragmas.Contains(table["pragma_".Length..])));
}
