using System.Text.Json;
using Hatbox.Common;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Db;

namespace Hatbox.Features.Ai;

/// <summary>
/// Rows by key, as <c>/db/query</c> would answer them (<c>SELECT *</c>), read through the same
/// <see cref="ITenantDatabase"/> seam as everything else, so any engine serves them.
/// </summary>
internal static class AiRecords
{
    const int PerStatement = 50;

    public static async Task<Outcome<Dictionary<string, QueryRow>>> FetchAsync(
        ITenantDatabase database, TableIndex index, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, QueryRow>(StringComparer.Ordinal);
        var key = index.KeyColumn is null ? "rowid" : AiSql.Quote(index.KeyColumn);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(PerStatement))
        {
            var placeholders = string.Join(", ", chunk.Select((_, i) => "$" + (i + 1)));
            var sql = $"SELECT {key} AS \"__hatbox_key\", * FROM {AiSql.Quote(index.Table)} WHERE {key} IN ({placeholders})";
            var parameters = SqlParameters.Positional([.. chunk.Select(k => AiSql.KeyElement(k, index.IntegerKey))]);
            var read = await database.QueryAsync(new TenantQuery(sql, parameters, AiSql.NoWrites), cancellationToken);
            if (!read.Succeeded)
                return read.Error!;
            var result = new QueryResult(read.Value!.Columns[1..]);
            foreach (var row in read.Value.Rows)
            {
                result.Rows.Add(row[1..]);
                found[AiSql.KeyText(row[0])] = new QueryRow(result, result.Rows.Count - 1);
            }
        }
        return found;
    }

    /// <summary>The SDK sends ids as strings or numbers; the index keys them as text.</summary>
    public static string? KeyOf(JsonElement? id) => id switch
    {
        { ValueKind: JsonValueKind.String } s when s.GetString() is { Length: > 0 } text => text,
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    /// <summary>Keys of the rows whose columns equal <paramref name="filters"/> (semantic search's pre-filter).</summary>
    public static async Task<Outcome<HashSet<string>>> FilterAsync(
        ITenantDatabase database, TableIndex index, IReadOnlyList<ColumnValue> filters, IReadOnlyList<DbColumnInfo> columns,
        CancellationToken cancellationToken)
    {
        var conditions = new List<string>();
        var values = new List<JsonElement>();
        foreach (var filter in filters)
        {
            var column = columns.FirstOrDefault(c => string.Equals(c.Name, filter.Column, StringComparison.OrdinalIgnoreCase));
            if (column is null)
                return DbErrors.ColumnNotFound(filter.Column, filter.Param);
            if (filter.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                return AiErrors.Invalid(filter.Param, "A filter is a column and the one value it must equal.");
            if (filter.Value.ValueKind == JsonValueKind.Null)
            {
                conditions.Add($"{AiSql.Quote(column.Name)} IS NULL");
                continue;
            }
            values.Add(filter.Value.ValueKind switch
            {
                JsonValueKind.True => AiSql.KeyElement(1L),
                JsonValueKind.False => AiSql.KeyElement(0L),
                _ => filter.Value,
            });
            conditions.Add($"{AiSql.Quote(column.Name)} = ${values.Count}");
        }
        var key = index.KeyColumn is null ? "rowid" : AiSql.Quote(index.KeyColumn);
        var sql = $"SELECT {key} FROM {AiSql.Quote(index.Table)} WHERE {string.Join(" AND ", conditions)}";
        var read = await database.QueryAsync(new TenantQuery(sql, SqlParameters.Positional(values), AiSql.NoWrites), cancellationToken);
        return read.Succeeded
            ? read.Value!.Rows.Select(r => AiSql.KeyText(r[0])).ToHashSet(StringComparer.Ordinal)
            : read.Error!;
    }
}
