using System.Collections.Concurrent;
using Hatbox.Common;
using Hatbox.Features.Db;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary>
/// Reads a workspace's <see cref="NlSchema"/> through the <see cref="ITenantDatabase"/> seam (the
/// distinct values with read-only statements) and keeps it for
/// <see cref="NlQueryOptions.SchemaCacheMilliseconds"/>: a question costs one statement, not one
/// per column, and a value inserted a moment ago is linked once the snapshot expires.
/// </summary>
internal sealed class NlSchemaReader(IOptions<NlQueryOptions> options, TimeProvider time)
{
    readonly ConcurrentDictionary<(string Workspace, DbEnvironment Environment), (NlSchema Schema, long ReadAt)> _cache = new();

    public async Task<Outcome<NlSchema>> ReadAsync(
        string workspaceId, DbEnvironment environment, ITenantDatabase database, CancellationToken cancellationToken)
    {
        var key = (workspaceId, environment);
        var now = time.GetTimestamp();
        if (_cache.TryGetValue(key, out var cached) && time.GetElapsedTime(cached.ReadAt, now).TotalMilliseconds < options.Value.SchemaCacheMilliseconds)
        {
            return cached.Schema;
        }
        var listed = await database.ListTablesAsync(cancellationToken);
        if (!listed.Succeeded)
        {
            return listed.Error!;
        }
        var tables = new List<NlTable>();
        foreach (var table in listed.Value!.Take(options.Value.MaxTables))
        {
            var columns = await database.GetColumnsAsync(table.Name, cancellationToken);
            if (!columns.Succeeded)
            {
                return columns.Error!;
            }
            var read = new List<NlColumn>();
            foreach (var column in columns.Value!)
            {
                var values = column.IsPrimaryKey ? [] : await DistinctValuesAsync(database, table.Name, column, cancellationToken);
                read.Add(new NlColumn(column.Name, column.Type, column.IsPrimaryKey, values));
            }
            tables.Add(new NlTable(table.Name, read));
        }
        var schema = new NlSchema(tables);
        _cache[key] = (schema, now);
        return schema;
    }

    /// <summary>All distinct text values when there are at most <see cref="NlQueryOptions.MaxDistinctValues"/>, else none.</summary>
    async Task<IReadOnlyList<string>> DistinctValuesAsync(
        ITenantDatabase database, string table, DbColumnInfo column, CancellationToken cancellationToken)
    {
        var probe = new NlColumn(column.Name, column.Type, column.IsPrimaryKey, []);
        if (!probe.IsText)
        {
            return [];
        }
        var max = options.Value.MaxDistinctValues;
        var sql = $"SELECT DISTINCT {SqlNames.Quote(column.Name)} FROM {SqlNames.Quote(table)} "
            + $"WHERE {SqlNames.Quote(column.Name)} IS NOT NULL AND length({SqlNames.Quote(column.Name)}) <= 100 LIMIT {max + 1}";
        var outcome = await database.ReadOnlyQueryAsync(sql, SqlParameters.None, cancellationToken);
        if (!outcome.Succeeded || outcome.Value!.Rows.Count > max)
        {
            return [];
        }
        return [.. outcome.Value.Rows.Select(row => row[0] as string).OfType<string>().Order(StringComparer.Ordinal)];
    }
}
