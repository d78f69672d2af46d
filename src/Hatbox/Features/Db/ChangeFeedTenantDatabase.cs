using Hatbox.Common;

namespace Hatbox.Features.Db;

/// <summary>
/// Any engine's database, telling <see cref="ITenantChangeFeed"/> about each write that
/// succeeded. Raw statements name no table the wrapper could trust, so they report the database.
/// </summary>
internal sealed class ChangeFeedTenantDatabase(ITenantDatabase inner, ITenantChangeFeed feed, string workspaceId, DbEnvironment environment)
    : ITenantDatabase
{
    /// <summary>Reads only, so nothing to publish; forwarded, or the interface's refusal would answer instead.</summary>
    public Task<Outcome<QueryResult>> ReadOnlyQueryAsync(string sql, SqlParameters parameters, CancellationToken cancellationToken) =>
        inner.ReadOnlyQueryAsync(sql, parameters, cancellationToken);

    public async Task<Outcome<QueryResult>> QueryAsync(TenantQuery query, CancellationToken cancellationToken)
    {
        var mayHaveWritten = false;
        var watched = query with
        {
            BeforeGrowingWrite = ct =>
            {
                mayHaveWritten = true;
                return query.BeforeGrowingWrite(ct);
            },
        };
        var outcome = await inner.QueryAsync(watched, cancellationToken);
        if (outcome.Succeeded && (mayHaveWritten || outcome.Value!.Changes > 0))
            feed.Publish(new TenantChange(workspaceId, environment, null));
        return outcome;
    }

    public Task<Outcome<QueryResult>> InsertAsync(string table, IReadOnlyList<ColumnValue> values, CancellationToken cancellationToken) =>
        Report(table, inner.InsertAsync(table, values, cancellationToken), insertOnly: true);

    public Task<Outcome<QueryResult>> UpdateAsync(
        string table, IReadOnlyList<ColumnValue> values, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken) =>
        Report(table, inner.UpdateAsync(table, values, where, cancellationToken));

    public Task<Outcome<QueryResult>> DeleteAsync(string table, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken) =>
        Report(table, inner.DeleteAsync(table, where, cancellationToken));

    public Task<Outcome<IReadOnlyList<DbTableInfo>>> ListTablesAsync(CancellationToken cancellationToken) =>
        inner.ListTablesAsync(cancellationToken);

    public Task<Outcome<long>> CountRowsAsync(string table, CancellationToken cancellationToken) =>
        inner.CountRowsAsync(table, cancellationToken);

    public Task<Outcome<IReadOnlyList<DbColumnInfo>>> GetColumnsAsync(string table, CancellationToken cancellationToken) =>
        inner.GetColumnsAsync(table, cancellationToken);

    async Task<Outcome<QueryResult>> Report(string table, Task<Outcome<QueryResult>> write, bool insertOnly = false)
    {
        var outcome = await write;
        if (outcome.Succeeded && outcome.Value!.Changes > 0)
            feed.Publish(new TenantChange(workspaceId, environment, table, insertOnly));
        return outcome;
    }
}

/// <summary>Wraps an engine's provider so every database it hands out reports its writes.</summary>
internal sealed class ChangeFeedTenantDatabaseProvider(ITenantDatabaseProvider inner, ITenantChangeFeed feed) : ITenantDatabaseProvider
{
    public ITenantDatabase Get(string workspaceId, DbEnvironment environment) =>
        new ChangeFeedTenantDatabase(inner.Get(workspaceId, environment), feed, workspaceId, environment);
}
