using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Hatbox.Features.Migration;

internal sealed record TenantColumn(string Name, string Target, TenantColumnType Type, bool NotNull, string? Default, bool Identity);

/// <summary>One SQLite table as it will be on PostgreSQL: the DDL to make it, and what to add once its rows are in.</summary>
internal sealed record TenantTable(string Name, string Target, IReadOnlyList<TenantColumn> Columns, string Create, IReadOnlyList<string> AfterRows,
    long? NextIdentity);

/// <summary>
/// Reads one tenant's SQLite database and plans its PostgreSQL schema: tables, column types
/// (<see cref="TenantColumnType"/>), primary keys, NOT NULL, simple defaults, unique and plain
/// indexes, foreign keys. What has no faithful PostgreSQL form (views, triggers, virtual tables,
/// CHECK constraints, generated columns, expression or partial indexes, collations) is listed as a
/// problem instead of being dropped.
/// </summary>
internal static partial class TenantSchema
{
    const int MaxIdentifierBytes = 63;

    public static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static List<TenantTable> Read(SqliteConnection connection, string label, List<string> problems)
    {
        var integrity = Scalar(connection, "PRAGMA quick_check") as string;
        if (integrity != "ok")
        {
            problems.Add($"{label}: the database fails SQLite's integrity check ({integrity}).");
            return [];
        }
        var objects = new List<(string Type, string Name, string Sql)>();
        using (var command = new SqliteCommand("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY rowid", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                objects.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }
        foreach (var (type, name, _) in objects.Where(o => o.Type is "view" or "trigger"))
        {
            problems.Add($"{label}: {type} {name} cannot move (PostgreSQL's {type}s differ); drop it, move, and re-create it in PostgreSQL's dialect.");
        }
        using (var check = new SqliteCommand("PRAGMA foreign_key_check", connection))
        using (var reader = check.ExecuteReader())
        {
            if (reader.Read())
            {
                problems.Add($"{label}: rows of {reader.GetString(0)} break its foreign key to {reader.GetString(2)}; PostgreSQL would refuse them.");
            }
        }
        var sequences = objects.Any(o => o.Name == "sqlite_sequence") ? Sequences(connection) : [];
        var tables = objects.Where(o => o.Type == "table" && !o.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)).ToList();
        var targets = tables.ToDictionary(t => t.Name, t => TargetName(t.Name), StringComparer.OrdinalIgnoreCase);
        var planned = new List<TenantTable>();
        foreach (var (_, name, sql) in tables)
        {
            var where = $"{label}: table {name}";
            if (sql.StartsWith("CREATE VIRTUAL", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{where} is a virtual table (e.g. FTS5), which PostgreSQL does not have.");
                continue;
            }
            if (CheckConstraint().IsMatch(sql))
            {
                problems.Add($"{where} has a CHECK constraint, which would need rewriting in PostgreSQL's dialect.");
            }
            if (Collation().IsMatch(sql))
            {
                problems.Add($"{where} uses a collation other than BINARY.");
            }
            if (Plan(connection, name, sql, targets, sequences, where, problems) is { } table)
            {
                planned.Add(table);
            }
        }
        return planned;
    }

    static TenantTable? Plan(SqliteConnection connection, string name, string sql, Dictionary<string, string> targets,
        Dictionary<string, long> sequences, string where, List<string> problems)
    {
        var target = targets[name];
        if (Encoding.UTF8.GetByteCount(target) > MaxIdentifierBytes)
        {
            problems.Add($"{where}: the name is longer than PostgreSQL's {MaxIdentifierBytes} bytes.");
            return null;
        }
        var info = Rows(connection, $"PRAGMA table_xinfo({Quote(name)})");
        var withoutRowid = WithoutRowid().IsMatch(sql);
        var keyColumns = info.Where(c => Convert.ToInt64(c["pk"], CultureInfo.InvariantCulture) > 0)
            .OrderBy(c => Convert.ToInt64(c["pk"], CultureInfo.InvariantCulture)).Select(c => (string)c["name"]!).ToList();
        var columns = new List<TenantColumn>();
        foreach (var column in info)
        {
            var columnName = (string)column["name"]!;
            var declared = column["type"] as string ?? "";
            if (Convert.ToInt64(column["hidden"], CultureInfo.InvariantCulture) != 0)
            {
                problems.Add($"{where}: column {columnName} is generated, which would need rewriting in PostgreSQL's dialect.");
                continue;
            }
            var (classes, zeroOrOne) = StorageClasses(connection, name, columnName);
            var type = TenantColumnType.For(declared, classes, zeroOrOne, out var typeProblem);
            if (type is null)
            {
                problems.Add($"{where}: column {columnName} is {typeProblem}.");
                continue;
            }
            var identity = !withoutRowid && keyColumns.Count == 1 && keyColumns[0] == columnName
                && string.Equals(declared, "INTEGER", StringComparison.OrdinalIgnoreCase);
            if (keyColumns.Contains(columnName) && classes.Contains("null") && !identity)
            {
                problems.Add($"{where}: primary key column {columnName} holds NULLs, which PostgreSQL does not allow.");
            }
            string? defaultSql = null;
            if (column["dflt_value"] is string rawDefault && !DefaultFor(rawDefault, type, out defaultSql))
            {
                problems.Add($"{where}: column {columnName} has the default {rawDefault}, which has no PostgreSQL form here.");
            }
            columns.Add(new TenantColumn(columnName, TargetName(columnName), type, Convert.ToInt64(column["notnull"], CultureInfo.InvariantCulture) != 0,
                defaultSql, identity));
        }
        var create = new StringBuilder($"CREATE TABLE {Quote(target)} (");
        create.AppendJoin(", ", columns.Select(c => $"{Quote(c.Target)} {c.Type.Sql}"
            + (c.Identity ? " GENERATED BY DEFAULT AS IDENTITY" : "")
            + (c.NotNull ? " NOT NULL" : "")
            + (c.Default is { } d ? " DEFAULT " + d : "")));
        if (keyColumns.Count > 0)
        {
            create.Append(", PRIMARY KEY (").AppendJoin(", ", keyColumns.Select(k => Quote(TargetName(k)))).Append(')');
        }
        create.Append(')');
        var afterRows = new List<string>();
        afterRows.AddRange(Indexes(connection, name, target, where, problems));
        afterRows.AddRange(ForeignKeys(connection, name, target, targets, where, problems));
        long? next = null;
        if (columns.FirstOrDefault(c => c.Identity) is { } identityColumn)
        {
            var max = Scalar(connection, $"SELECT max({Quote(identityColumn.Name)}) FROM {Quote(name)}") is long m ? m : 0;
            // AUTOINCREMENT never hands out an id again, not even one whose row was deleted.
            next = Math.Max(max, sequences.GetValueOrDefault(name)) + 1;
        }
        return new TenantTable(name, target, columns, create.ToString(), afterRows, next);
    }

    static IEnumerable<string> Indexes(SqliteConnection connection, string table, string target, string where, List<string> problems)
    {
        foreach (var index in Rows(connection, $"PRAGMA index_list({Quote(table)})"))
        {
            var name = (string)index["name"]!;
            if ((string)index["origin"]! == "pk")
            {
                continue;
            }
            if (Convert.ToInt64(index["partial"], CultureInfo.InvariantCulture) != 0)
            {
                problems.Add($"{where}: index {name} is partial (WHERE …), which would need rewriting in PostgreSQL's dialect.");
                continue;
            }
            var keys = Rows(connection, $"PRAGMA index_xinfo({Quote(name)})").Where(k => Convert.ToInt64(k["key"], CultureInfo.InvariantCulture) != 0).ToList();
            if (keys.Any(k => k["name"] is not string) || keys.Any(k => !string.Equals(k["coll"] as string, "BINARY", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{where}: index {name} is on an expression or a collation, which would need rewriting in PostgreSQL's dialect.");
                continue;
            }
            var unique = Convert.ToInt64(index["unique"], CultureInfo.InvariantCulture) != 0;
            // SQLite names the indexes behind UNIQUE constraints itself; PostgreSQL picks its own name for those.
            var indexName = (string)index["origin"]! == "u" ? "" : Quote(TargetName(name)) + " ";
            yield return $"CREATE {(unique ? "UNIQUE " : "")}INDEX {indexName}ON {Quote(target)} ("
                + string.Join(", ", keys.Select(k => Quote(TargetName((string)k["name"]!)) + (Convert.ToInt64(k["desc"], CultureInfo.InvariantCulture) != 0 ? " DESC" : "")))
                + ")";
        }
    }

    static IEnumerable<string> ForeignKeys(SqliteConnection connection, string table, string target, Dictionary<string, string> targets,
        string where, List<string> problems)
    {
        foreach (var key in Rows(connection, $"PRAGMA foreign_key_list({Quote(table)})").GroupBy(k => Convert.ToInt64(k["id"], CultureInfo.InvariantCulture)))
        {
            var parts = key.OrderBy(k => Convert.ToInt64(k["seq"], CultureInfo.InvariantCulture)).ToList();
            var parent = (string)parts[0]["table"]!;
            if (!targets.TryGetValue(parent, out var parentTarget))
            {
                problems.Add($"{where}: a foreign key refers to {parent}, which is not a table here.");
                continue;
            }
            var from = parts.Select(p => Quote(TargetName((string)p["from"]!)));
            // A key without columns refers to the parent's primary key, as in PostgreSQL.
            var to = parts.All(p => p["to"] is string) ? " (" + string.Join(", ", parts.Select(p => Quote(TargetName((string)p["to"]!)))) + ")" : "";
            yield return $"ALTER TABLE {Quote(target)} ADD FOREIGN KEY ({string.Join(", ", from)}) REFERENCES {Quote(parentTarget)}{to}"
                + $" ON UPDATE {Action(parts[0]["on_update"])} ON DELETE {Action(parts[0]["on_delete"])}";
        }
    }

    static string Action(object? value) => (value as string)?.ToUpperInvariant() switch
    {
        "CASCADE" => "CASCADE",
        "SET NULL" => "SET NULL",
        "SET DEFAULT" => "SET DEFAULT",
        "RESTRICT" => "RESTRICT",
        _ => "NO ACTION",
    };

    /// <summary>Literals move as they are (both dialects write them alike); SQLite's clock keywords become text of the same shape.</summary>
    static bool DefaultFor(string raw, TenantColumnType type, out string? sql)
    {
        var value = raw.Trim();
        while (value.Length > 1 && value[0] == '(' && value[^1] == ')')
        {
            value = value[1..^1].Trim();
        }
        var upper = value.ToUpperInvariant();
        sql = upper switch
        {
            "NULL" => null,
            "TRUE" or "FALSE" => type == TenantColumnType.Boolean ? upper : upper == "TRUE" ? "1" : "0",
            "CURRENT_TIMESTAMP" when type == TenantColumnType.Text => "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
            "CURRENT_DATE" when type == TenantColumnType.Text => "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            "CURRENT_TIME" when type == TenantColumnType.Text => "to_char(now() AT TIME ZONE 'UTC', 'HH24:MI:SS')",
            _ when NumberLiteral().IsMatch(value) && type != TenantColumnType.Text && type != TenantColumnType.Bytea =>
                type == TenantColumnType.Boolean ? (value is "0" ? "false" : value is "1" ? "true" : "") : value,
            _ when StringLiteral().IsMatch(value) && type == TenantColumnType.Text => value,
            _ when BlobLiteral().Match(value) is { Success: true } blob && type == TenantColumnType.Bytea => $"'\\x{blob.Groups[1].Value}'::bytea",
            _ => "",
        };
        return sql is null || sql.Length > 0;
    }

    static (HashSet<string> Classes, bool ZeroOrOne) StorageClasses(SqliteConnection connection, string table, string column)
    {
        var classes = new HashSet<string>(StringComparer.Ordinal);
        var zeroOrOne = true;
        using var command = new SqliteCommand(
            $"SELECT typeof({Quote(column)}) AS k, min({Quote(column)}), max({Quote(column)}) FROM {Quote(table)} GROUP BY k", connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var kind = reader.GetString(0);
            classes.Add(kind);
            if (kind == "integer")
            {
                zeroOrOne = reader.GetInt64(1) >= 0 && reader.GetInt64(2) <= 1;
            }
        }
        return (classes, zeroOrOne);
    }

    static Dictionary<string, long> Sequences(SqliteConnection connection)
    {
        var sequences = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in Rows(connection, "SELECT name, seq FROM sqlite_sequence"))
        {
            sequences[(string)row["name"]!] = Convert.ToInt64(row["seq"], CultureInfo.InvariantCulture);
        }
        return sequences;
    }

    static List<Dictionary<string, object?>> Rows(SqliteConnection connection, string sql)
    {
        using var command = new SqliteCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = new SqliteCommand(sql, connection);
        return command.ExecuteScalar();
    }

    /// <summary>
    /// SQLite matches names without regard to case; PostgreSQL folds unquoted names to lower case.
    /// Plain names move in lower case, so the queries a tenant already writes (<c>SELECT * FROM Users</c>)
    /// find them; names that need quoting in any dialect keep their spelling.
    /// </summary>
    public static string TargetName(string name) => PlainName().IsMatch(name) ? name.ToLowerInvariant() : name;

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"\bCHECK\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex CheckConstraint();

    [GeneratedRegex(@"\bCOLLATE\s+(?!BINARY\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Collation();

    [GeneratedRegex(@"\)\s*(STRICT\s*,\s*)?WITHOUT\s+ROWID", RegexOptions.IgnoreCase)]
    private static partial Regex WithoutRowid();

    [GeneratedRegex(@"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex NumberLiteral();

    [GeneratedRegex(@"^'([^']|'')*'$")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^[xX]'([0-9A-Fa-f]*)'$")]
    private static partial Regex BlobLiteral();
}
