using System.Text;
using System.Text.Json;
using Hatbox.Common;
using Hatbox.Common.Errors;

namespace Hatbox.Features.Db.Postgres;

/// <summary>
/// Insert, update and delete on PostgreSQL: table and column names checked against the catalog
/// and quoted, every value bound as <c>$N</c>; a null in <c>where</c> means IS NULL.
/// </summary>
internal static class PostgresRecordSql
{
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static Outcome<PgStatement> Insert(PgTable table, IReadOnlyList<ColumnValue> values)
    {
        if (values.Count == 0)
        {
            return new PgStatement($"INSERT INTO {Quote(table.Name)} DEFAULT VALUES RETURNING *", [], true);
        }
        var bound = new List<JsonElement>(values.Count);
        var names = new StringBuilder();
        var placeholders = new StringBuilder();
        foreach (var value in values)
        {
            if (table.FindColumn(value.Column) is not { } column)
            {
                return DbErrors.ColumnNotFound(value.Column, value.Param);
            }
            bound.Add(value.Value);
            names.Append(names.Length == 0 ? "" : ", ").Append(Quote(column));
            placeholders.Append(placeholders.Length == 0 ? "$" : ", $").Append(bound.Count);
        }
        return new PgStatement($"INSERT INTO {Quote(table.Name)} ({names}) VALUES ({placeholders}) RETURNING *", bound, true);
    }

    public static Outcome<PgStatement> Update(PgTable table, IReadOnlyList<ColumnValue> values, IReadOnlyList<ColumnValue> where)
    {
        var bound = new List<JsonElement>(values.Count + where.Count);
        var sql = new StringBuilder("UPDATE ").Append(Quote(table.Name)).Append(" SET ");
        for (var i = 0; i < values.Count; i++)
        {
            if (table.FindColumn(values[i].Column) is not { } column)
            {
                return DbErrors.ColumnNotFound(values[i].Column, values[i].Param);
            }
            bound.Add(values[i].Value);
            sql.Append(i == 0 ? "" : ", ").Append(Quote(column)).Append(" = $").Append(bound.Count);
        }
        return AppendWhere(sql, table, where, bound) is { } error ? error : new PgStatement(sql.Append(" RETURNING *").ToString(), bound, true);
    }

    public static Outcome<PgStatement> Delete(PgTable table, IReadOnlyList<ColumnValue> where)
    {
        var bound = new List<JsonElement>(where.Count);
        var sql = new StringBuilder("DELETE FROM ").Append(Quote(table.Name));
        return AppendWhere(sql, table, where, bound) is { } error ? error : new PgStatement(sql.Append(" RETURNING *").ToString(), bound, false);
    }

    static ApiError? AppendWhere(StringBuilder sql, PgTable table, IReadOnlyList<ColumnValue> where, List<JsonElement> bound)
    {
        for (var i = 0; i < where.Count; i++)
        {
            if (table.FindColumn(where[i].Column) is not { } column)
            {
                return DbErrors.ColumnNotFound(where[i].Column, where[i].Param);
            }
            sql.Append(i == 0 ? " WHERE " : " AND ").Append(Quote(column));
            if (where[i].Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                sql.Append(" IS NULL");
                continue;
            }
            bound.Add(where[i].Value);
            sql.Append(" = $").Append(bound.Count);
        }
        return null;
    }
}

/// <summary>A tenant's table as the catalog describes it.</summary>
internal sealed record PgTable(string Name, IReadOnlyList<DbColumnInfo> Columns)
{
    public string? FindColumn(string name) =>
        Columns.FirstOrDefault(c => c.Name == name)?.Name ?? Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))?.Name;
}
