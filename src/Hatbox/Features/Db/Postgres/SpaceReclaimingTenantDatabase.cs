using Hatbox.Common;

namespace Hatbox.Features.Db.Postgres;

/// <summary>
/// A PostgreSQL tenant's database that tells <see cref="PostgresSpaceReclaimer"/> about each
/// delete or update that succeeded (the statements that leave dead rows behind), so a workspace
/// at its plan's limit gets that space back as on SQLite. Everything else is passed through.
/// </summary>
internal sealed class SpaceReclaimingTenantDatabase(
    ITenantDatabase inner, PostgresSpaceReclaimer reclaimer, string workspaceId, DbEnvironment environment) : ITenantDatabase
{
    public Task<Outcome<QueryResult>> ReadOnlyQueryAsync(string sql, SqlParameters parameters, CancellationToken cancellationToken) =>
        inner.ReadOnlyQueryAsync(sql, parameters, cancellationToken);

    public Task<Outcome<QueryResult>> QueryAsync(TenantQuery query, CancellationToken cancellationToken) =>
        Report(inner.QueryAsync(query, cancellationToken), MayFree(query.Sql));

    public Task<Outcome<QueryResult>> InsertAsync(string table, IReadOnlyList<ColumnValue> values, CancellationToken cancellationToken) =>
        inner.InsertAsync(table, values, cancellationToken);

    public Task<Outcome<QueryResult>> UpdateAsync(
        string table, IReadOnlyList<ColumnValue> values, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken) =>
        Report(inner.UpdateAsync(table, values, where, cancellationToken), mayFree: true);

    public Task<Outcome<QueryResult>> DeleteAsync(string table, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken) =>
        Report(inner.DeleteAsync(table, where, cancellationToken), mayFree: true);

    public Task<Outcome<IReadOnlyList<DbTableInfo>>> ListTablesAsync(CancellationToken cancellationToken) => inner.ListTablesAsync(cancellationToken);

    public Task<Outcome<long>> CountRowsAsync(string table, CancellationToken cancellationToken) => inner.CountRowsAsync(table, cancellationToken);

    public Task<Outcome<IReadOnlyList<DbColumnInfo>>> GetColumnsAsync(string table, CancellationToken cancellationToken) =>
        inner.GetColumnsAsync(table, cancellationToken);

    async Task<Outcome<QueryResult>> Report(Task<Outcome<QueryResult>> write, bool mayFree)
    {
        var outcome = await write;
        if (mayFree && outcome.Succeeded && outcome.Value!.Changes > 0)
            reclaimer.Freed(workspaceId, environment);
        return outcome;
    }

    /// <summary>
    /// Whether a raw statement may leave dead rows: an UPDATE, a DELETE, or a WITH that may hold
    /// either. Inserts, reads and DDL do not (the engine refuses DROP and TRUNCATE anyway).
    /// </summary>
    internal static bool MayFree(string sql)
    {
        var lexer = new PostgresLexer(sql);
        while (lexer.Next(out var token))
        {
            if (token.Kind == PgTokenKind.Blank)
                continue;
            if (token.Kind != PgTokenKind.Word)
                return false;
            var word = sql.AsSpan(token.Start, token.Length);
            return word.Equals("DELETE", StringComparison.OrdinalIgnoreCase) || word.Equals("UPDATE", StringComparison.OrdinalIgnoreCase)
                || word.Equals("WITH", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }
}

/// <summary>Wraps the PostgreSQL provider so every database it hands out reports what may have freed space.</summary>
internal sealed class SpaceReclaimingTenantDatabaseProvider(ITenantDatabaseProvider inner, PostgresSpaceReclaimer reclaimer) : ITenantDatabaseProvider
{
    public ITenantDatabase Get(string workspaceId, DbEnvironment environment) =>
        new SpaceReclaimingTenantDatabase(inner.Get(workspaceId, environment), reclaimer, workspaceId, environment);
}
