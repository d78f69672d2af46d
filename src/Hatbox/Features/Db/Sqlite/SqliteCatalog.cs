using System.Text.Json;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// The platform's own reads of a tenant's schema. They run under the same authorizer as the
/// tenant's statements (no trusted path exists), so they use only what it allows: the schema table
/// and the <c>pragma_table_xinfo</c> table. Names starting with <c>sqlite_</c> are SQLite's and
/// never shown.
/// </summary>
internal static class SqliteCatalog
{
    const string CallerTables = """s.type = 'table' AND s.name NOT LIKE 'sqlite\_%' ESCAPE '\'""";

    public const string ListTables = $"SELECT s.name FROM sqlite_schema AS s WHERE {CallerTables} ORDER BY s.name";

    /// <summary>One row per column of table <c>$1</c> (matched as SQLite matches names); hidden virtual-table columns left out.</summary>
    public const string Columns = $"""
        SELECT s.name, c.name, c.type, c."notnull", c.dflt_value, c.pk
        FROM sqlite_schema AS s, pragma_table_xinfo(s.name) AS c
        WHERE {CallerTables} AND s.name = $1 COLLATE NOCASE AND c.hidden <> 1
        ORDER BY c.cid
        """;

    public static string CountRows(string table) => $"SELECT count(*) FROM {Quote(table)}";

    /// <summary>A name as an SQL identifier. Names come from the schema, not the request; quoting keeps any name one token.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static JsonElement Text(string value) => JsonSerializer.SerializeToElement(value, DbJsonContext.Default.String);

    public static SqliteTable ToTable(List<object?[]> rows) => new(
        (string)rows[0][0]!,
        rows.Select(row => new DbColumnInfo(
            Name: (string)row[1]!,
            Type: (string?)row[2] ?? "",
            Nullable: (long)row[3]! == 0,
            Default: row[4] as string,
            IsPrimaryKey: (long)row[5]! > 0)).ToList());
}

/// <summary>A caller's table as the schema names it, with its columns in order.</summary>
internal sealed record SqliteTable(string Name, IReadOnlyList<DbColumnInfo> Columns)
{
    /// <summary>The column as the schema spells it, matched as SQLite matches names.</summary>
    public string? FindColumn(string name) => Columns.FirstOrDefault(c => SqliteNames.Equal(c.Name, name))?.Name;
}
