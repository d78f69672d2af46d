using System.Diagnostics;
using Hatbox.Common;
using Hatbox.Features.Db;

namespace Hatbox.Features.Telemetry;

/// <summary>
/// Times every statement a tenant database runs, whichever engine and whoever asks (the /db
/// endpoints, flows, the AI features), and counts the ones stopped at their deadline.
/// </summary>
internal sealed class MeteredTenantDatabase(ITenantDatabase inner, string system) : ITenantDatabase
{
    public Task<Outcome<QueryResult>> QueryAsync(TenantQuery query, CancellationToken cancellationToken) =>
        TimeAsync("query", inner.QueryAsync(query, cancellationToken));

    public Task<Outcome<QueryResult>> ReadOnlyQueryAsync(string sql, SqlParameters parameters, CancellationToken cancellationToken) =>
        TimeAsync("read_only_query", inner.ReadOnlyQueryAsync(sql, parameters, cancellationToken));

    public Task<Outcome<QueryResult>> InsertAsync(string table, IReadOnlyList<ColumnValue> values, CancellationToken cancellationToken) =>
        TimeAsync("insert", inner.InsertAsync(table, values, cancellationToken));

    public Task<Outcome<QueryResult>> UpdateAsync(
        string table, IReadOnlyList<ColumnValue> values, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken) =>
        TimeAsync("update", inner.UpdateAsync(table, values, where, cancellationToken));

    public Task<Outcome<QueryResult>> DeleteAsync(string table, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken) =>
        TimeAsync("delete", inner.DeleteAsync(table, where, cancellationToken));

    public Task<Outcome<IReadOnlyList<DbTableInfo>>> ListTablesAsync(CancellationToken cancellationToken) =>
        TimeAsync("list_tables", inner.ListTablesAsync(cancellationToken));

    public Task<Outcome<long>> CountRowsAsync(string table, CancellationToken cancellationToken) =>
        TimeAsync("count", inner.CountRowsAsync(table, cancellationToken));

    public Task<Outcome<IReadOnlyList<DbColumnInfo>>> GetColumnsAsync(string table, CancellationToken cancellationToken) =>
        TimeAsync("columns", inner.GetColumnsAsync(table, cancellationToken));

    async Task<Outcome<T>> TimeAsync<T>(string operation, Task<Outcome<T>> running)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await running;
        HatboxMetrics.DbOperation(system, operation, Stopwatch.GetElapsedTime(started), outcome.Error?.Code);
        return outcome;
    }
}

/// <summary>Hands out <see cref="MeteredTenantDatabase"/>s around the engine's databases.</summary>
internal sealed class MeteredTenantDatabaseProvider(ITenantDatabaseProvider inner, string system) : ITenantDatabaseProvider
{
    public ITenantDatabase Get(string workspaceId, DbEnvironment environment) =>
        new MeteredTenantDatabase(inner.Get(workspaceId, environment), system);
}
