using Hatbox.Common;
using Hatbox.Common.Errors;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// Runs one statement on the right connection of a tenant database. A statement that may read is
/// first compiled on a reader: reads run there, beside any writer (WAL), and only one that
/// <c>sqlite3_stmt_readonly</c> says writes waits for the database's one writer. A refused or
/// failing statement therefore never takes the write lock nor creates the file. Waiting for a
/// connection is asynchronous; the SQLite calls themselves run on <see cref="SqliteThreads"/>.
/// </summary>
internal sealed class SqliteStatementRunner(SqliteConnectionPool pool, SqliteThreads threads, DbEnvironment environment, DbOptions options)
{
    static readonly Func<CancellationToken, Task<ApiError?>> NoCheck = _ => Task.FromResult<ApiError?>(null);

    /// <summary>The platform's own read (catalog queries); never a write.</summary>
    public Task<Outcome<QueryResult>> ReadAsync(string sql, SqlParameters parameters, CancellationToken cancellationToken) =>
        RunAsync(sql, parameters, tenantStatement: false, NoCheck, null, cancellationToken);

    /// <summary>
    /// A caller's statement; <paramref name="beforeWrite"/> runs only if it turns out to write, and
    /// <paramref name="allowance"/>, when set, bounds how much the write may add while it runs.
    /// </summary>
    public Task<Outcome<QueryResult>> RunTenantAsync(
        string sql, SqlParameters parameters, Func<CancellationToken, Task<ApiError?>> beforeWrite, IStorageAllowance? allowance,
        CancellationToken cancellationToken) =>
        RunAsync(sql, parameters, tenantStatement: true, beforeWrite, allowance, cancellationToken);

    /// <summary>A statement nobody vouches for: compiled and run on a <c>query_only</c> reader, refused if it would write.</summary>
    public async Task<Outcome<QueryResult>> ReadOnlyTenantAsync(string sql, SqlParameters parameters, CancellationToken cancellationToken)
    {
        var reader = await pool.RentReaderAsync(cancellationToken);
        if (!reader.Succeeded)
        {
            return reader.Error!;
        }
        using var lease = reader.Value;
        return TryRun(lease.Connection, sql, parameters, tenantStatement: true, cancellationToken)
            ?? DbErrors.NotAllowed("A statement that writes");
    }

    /// <summary>The platform's insert, update or delete: a write by construction, so straight to the writer.</summary>
    public async Task<Outcome<QueryResult>> WriteAsync(string sql, SqlParameters parameters, CancellationToken cancellationToken)
    {
        var writer = await pool.RentWriterAsync(cancellationToken);
        if (!writer.Succeeded)
        {
            return writer.Error!;
        }
        using var lease = writer.Value;
        return await threads.RunAsync(() => RunOnWriter(lease.Connection, sql, parameters, tenantStatement: false, null, cancellationToken));
    }

    async Task<Outcome<QueryResult>> RunAsync(
        string sql, SqlParameters parameters, bool tenantStatement,
        Func<CancellationToken, Task<ApiError?>> beforeWrite, IStorageAllowance? allowance, CancellationToken cancellationToken)
    {
        var reader = await pool.RentReaderAsync(cancellationToken);
        if (!reader.Succeeded)
        {
            return reader.Error!;
        }
        using (var lease = reader.Value)
        {
            if (await RunOnReaderAsync(lease.Connection, sql, parameters, tenantStatement, cancellationToken) is { } answered)
            {
                return answered;
            }
        }
        if (await beforeWrite(cancellationToken) is { } refusal)
        {
            return refusal;
        }
        var writer = await pool.RentWriterAsync(cancellationToken);
        if (!writer.Succeeded)
        {
            return writer.Error!;
        }
        using (var lease = writer.Value)
        {
            return await threads.RunAsync(() => RunOnWriter(lease.Connection, sql, parameters, tenantStatement, allowance, cancellationToken));
        }
    }

    /// <summary>
    /// A statement on a reader: inline on the request's thread when a slot is free, held to
    /// <see cref="SqliteThreads.InlineBudget"/>; one that runs past it is stopped and run again from
    /// the start on the SQL threads with the full timeout. A reader runs only read-only statements
    /// (a write answers null before it runs), so the second run sees what the first would have.
    /// </summary>
    ValueTask<Outcome<QueryResult>?> RunOnReaderAsync(
        SqliteTenantConnection connection, string sql, SqlParameters parameters, bool tenantStatement, CancellationToken cancellationToken)
    {
        if (threads.TryEnterInline())
        {
            Outcome<QueryResult>? answered;
            try
            {
                answered = TryRun(connection, sql, parameters, tenantStatement, cancellationToken, SqliteThreads.InlineBudget);
            }
            finally
            {
                threads.LeaveInline();
            }
            if (!connection.DeadlinePassed || options.QueryTimeout <= SqliteThreads.InlineBudget)
            {
                return ValueTask.FromResult(answered);
            }
        }
        return new(threads.RunAsync(() => TryRun(connection, sql, parameters, tenantStatement, cancellationToken)));
    }

    /// <summary>
    /// A write, limited to the allowance while it runs (SQLITE_FULL past it, which is
    /// <c>storage_quota_exceeded</c>), then the WAL trimmed, since its bytes count toward the quota too.
    /// </summary>
    Outcome<QueryResult> RunOnWriter(
        SqliteTenantConnection connection, string sql, SqlParameters parameters, bool tenantStatement,
        IStorageAllowance? allowance, CancellationToken cancellationToken)
    {
        var pages = allowance is null ? 0 : connection.LimitGrowth(allowance.RemainingBytes());
        try
        {
            return TryRun(connection, sql, parameters, tenantStatement, cancellationToken)!.Value;
        }
        finally
        {
            if (allowance is not null)
            {
                allowance.Grew(connection.GrowthSince(pages));
                connection.RemoveGrowthLimit();
            }
            connection.TrimWal();
        }
    }

    /// <summary>Compiles, checks and binds; runs unless it writes and this is not the writer (then null).</summary>
    Outcome<QueryResult>? TryRun(
        SqliteTenantConnection connection, string sql, SqlParameters parameters, bool tenantStatement, CancellationToken cancellationToken,
        TimeSpan? budget = null)
    {
        using var deadline = connection.StartDeadline(budget is { } inline && inline < options.QueryTimeout ? inline : options.QueryTimeout, cancellationToken);
        var prepared = SqliteStatement.Prepare(connection, sql, environment, options);
        if (!prepared.Succeeded)
        {
            return prepared.Error!;
        }
        using var statement = prepared.Value!;
        if (tenantStatement && statement.ParameterCount > options.MaxParameters)
        {
            return DbErrors.TooManyParameters(options.MaxParameters);
        }
        if (statement.Bind(parameters, environment, options) is { } unbound)
        {
            return unbound;
        }
        if (connection.Kind != SqliteConnectionKind.Writer && !statement.IsReadOnly)
        {
            return null;
        }
        return statement.Run(environment, options);
    }
}
