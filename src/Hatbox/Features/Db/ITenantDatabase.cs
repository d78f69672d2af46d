using System.Text.Json;
using Hatbox.Common;
using Hatbox.Common.Errors;

namespace Hatbox.Features.Db;

/// <summary>
/// The seam between the /db endpoints and an engine: one workspace's database in one environment.
/// The SQLite implementation keeps a file per workspace and environment; a PostgreSQL one would
/// connect as a login role of its own to a schema of its own (reference/security.md §b.2), with
/// the endpoints unchanged. Expected failures (refusals, the caller's SQL errors) are outcomes.
/// </summary>
internal interface ITenantDatabase
{
    /// <summary>Runs exactly one statement of the caller's.</summary>
    Task<Outcome<QueryResult>> QueryAsync(TenantQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one statement that must only read, on a read-only connection, under the same guardrails,
    /// deadline and row cap as <see cref="QueryAsync"/>: SQL the platform did not write and does not
    /// trust (nl-query's). Anything that would write is refused with <c>query_not_allowed</c> and
    /// never reaches a writer (SQLite: a <c>query_only</c> reader; PostgreSQL: a <c>READ ONLY</c> transaction).
    /// </summary>
    Task<Outcome<QueryResult>> ReadOnlyQueryAsync(string sql, SqlParameters parameters, CancellationToken cancellationToken);

    /// <summary>Inserts one row and answers it as stored. Names are checked against the schema.</summary>
    Task<Outcome<QueryResult>> InsertAsync(string table, IReadOnlyList<ColumnValue> values, CancellationToken cancellationToken);

    /// <summary>Sets <paramref name="values"/> on the rows whose columns equal <paramref name="where"/>; answers those rows.</summary>
    Task<Outcome<QueryResult>> UpdateAsync(
        string table, IReadOnlyList<ColumnValue> values, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken);

    /// <summary>Deletes the rows whose columns equal <paramref name="where"/>; answers those rows.</summary>
    Task<Outcome<QueryResult>> DeleteAsync(string table, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken);

    /// <summary>The caller's tables, never the engine's or the platform's own.</summary>
    Task<Outcome<IReadOnlyList<DbTableInfo>>> ListTablesAsync(CancellationToken cancellationToken);

    Task<Outcome<long>> CountRowsAsync(string table, CancellationToken cancellationToken);

    Task<Outcome<IReadOnlyList<DbColumnInfo>>> GetColumnsAsync(string table, CancellationToken cancellationToken);
}

/// <summary>Finds a workspace's database; never creates anything until a write needs it.</summary>
internal interface ITenantDatabaseProvider
{
    ITenantDatabase Get(string workspaceId, DbEnvironment environment);
}

/// <summary>
/// A statement of the caller's. <paramref name="BeforeGrowingWrite"/> runs before any statement
/// that may make the database bigger (not for reads or deletes) and may refuse it, e.g. for the
/// storage quota, without the engine knowing about plans.
/// </summary>
internal sealed record TenantQuery(
    string Sql, SqlParameters Parameters, Func<CancellationToken, Task<ApiError?>> BeforeGrowingWrite)
{
    /// <summary>
    /// When set, a write is stopped while it runs once it would add more than the allowance's
    /// remaining bytes (<c>storage_quota_exceeded</c>), so a short statement that builds a lot of
    /// data cannot write past the plan; null leaves only the engine's own ceiling.
    /// </summary>
    public IStorageAllowance? Allowance { get; init; }
}

/// <summary>A column name from the request and the value for it; <paramref name="Param"/> names it in errors.</summary>
internal readonly record struct ColumnValue(string Column, JsonElement Value, string Param);
