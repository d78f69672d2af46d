using System.Text;
using System.Text.Json;
using Hatbox.Common;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// The statements behind insert, update and delete: table and column names checked against the
/// schema and quoted, every value bound as <c>$N</c>. A null in <c>where</c> means IS NULL.
/// </summary>
internal static class SqliteRecordSql
{
    internal sealed record Statement(string Sql, SqlParameters Parameters);

    public static Outcome<Statement> Insert(SqliteTable table, IReadOnlyList<ColumnValue> values)
    {
        if (values.Count == 0)
        {
            return new Statement($"INSERT INTO {SqliteCatalog.Quote(table.Name)} DEFAULT VALUES RETURNING *", SqlParameters.None);
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
            names.Append(names.Length == 0 ? "" : ", ").Append(SqliteCatalog.Quote(column));
            placeholders.Append(placeholders.Length == 0 ? "$" : ", $").Append(bound.Count);
        }
        return new Statement(
            $"INSERT INTO {SqliteCatalog.Quote(table.Name)} ({names}) VALUES ({placeholders}) RETURNING *",
            SqlParameters.Positional(bound));
    }

    public static Outcome<Statement> Update(SqliteTable table, IReadOnlyList<ColumnValue> values, IReadOnlyList<ColumnValue> where)
    {
        var bound = new List<JsonElement>(values.Count + where.Count);
        var sql = new StringBuilder("UPDATE ").Append(SqliteCatalog.Quote(table.Name)).Append(" SET ");
        for (var i = 0; i < values.Count; i++)
        {
            if (table.FindColumn(values[i].Column) is not { } column)
            {
                return DbErrors.ColumnNotFound(values[i].Column, values[i].Param);
            }
            bound.Add(values[i].Value);
            sql.Append(i == 0 ? "" : ", ").Append(SqliteCatalog.Quote(column)).Append(" = $").Append(bound.Count);
        }
        return AppendWhere(sql, table, where, bound) is { } error
            ? error
            : new Statement(sql.Append(" RETURNING *").ToString(), SqlParameters.Positional(bound));
    }

    public static Outcome<Statement> Delete(SqliteTable table, IReadOnlyList<ColumnValue> where)
    {
        var bound = new List<JsonElement>(where.Count);
        var sql = new StringBuilder("DELETE FROM ").Append(SqliteCatalog.Quote(table.Name));
        return AppendWhere(sql, table, where, bound) is { } error
            ? error
            : new Statement(sql.Append(" RETURNING *").ToString(), SqlParameters.Positional(bound));
    }

    static Common.Errors.ApiError? AppendWhere(StringBuilder sql, SqliteTable table, IReadOnlyList<ColumnValue> where, List<JsonElement> bound)
    {
        for (var i = 0; i < where.Count; i++)
        {
            if (table.FindColumn(where[i].Column) is not { } column)
            {
                return DbErrors.ColumnNotFound(where[i].Column, where[i].Param);
            }
            sql.Append(i == 0 ? " WHERE " : " AND ").Append(SqliteCatalog.Quote(column));
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
