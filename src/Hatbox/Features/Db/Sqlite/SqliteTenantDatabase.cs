using System.Diagnostics;
using Hatbox.Common;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// One workspace's SQLite database in one environment: the caller's statements after the text
/// checks, and insert, update and delete built from the schema (<see cref="SqliteRecordSql"/>).
/// Which connection runs what is <see cref="SqliteStatementRunner"/>'s business.
/// </summary>
internal sealed class SqliteTenantDatabase(SqliteConnectionPool pool, SqliteThreads threads, DbEnvironment environment, DbOptions options)
    : ITenantDatabase
{
    readonly SqliteStatementRunner _runner = new(pool, threads, environment, options);
    readonly SqliteSchemaCache _schema = new();

    internal SqliteConnectionPool Pool => pool;

    public async Task<Outcome<QueryResult>> QueryAsync(TenantQuery query, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (query.Sql.Contains('\0', StringComparison.Ordinal))
        {
            // SQLite would stop reading at it, and see a different statement than every check here.
            return DbErrors.NotAllowed("A NUL character in a statement");
        }
        var shape = SqliteStatementText.Shape(query.Sql);
        if (shape.IsUnboundedChange)
        {
            return DbErrors.NotAllowed($"{shape.Verb.ToString().ToUpperInvariant()} without WHERE");
        }
        if (shape.Verb == SqlVerb.Vacuum)
        {
            return DbErrors.NotAllowed("VACUUM");
        }
        if (SqliteCteExpansion.IsTooLarge(query.Sql))
        {
            return DbErrors.TooComplex(SqliteCteExpansion.MaxCopiedTokens);
        }
        var wrote = false;
        var outcome = await _runner.RunTenantAsync(SqliteStatementText.Rewrite(query.Sql), query.Parameters, async ct =>
        {
            wrote = true;
            return shape.Verb == SqlVerb.Delete ? null : await query.BeforeGrowingWrite(ct);
        }, query.Allowance, cancellationToken);
        if (wrote)
        {
            // Any write may have been CREATE or ALTER TABLE.
            _schema.Invalidate();
        }
        if (outcome.Value is { } result)
        {
            result.Elapsed = Stopwatch.GetElapsedTime(started);
        }
        return outcome;
    }

    public async Task<Outcome<QueryResult>> ReadOnlyQueryAsync(string sql, SqlParameters parameters, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (sql.Contains('\0', StringComparison.Ordinal))
        {
            return DbErrors.NotAllowed("A NUL character in a statement");
        }
        if (SqliteCteExpansion.IsTooLarge(sql))
        {
            return DbErrors.TooComplex(SqliteCteExpansion.MaxCopiedTokens);
        }
        var outcome = await _runner.ReadOnlyTenantAsync(sql, parameters, cancellationToken);
        if (outcome.Value is { } result)
        {
            result.Elapsed = Stopwatch.GetElapsedTime(started);
        }
        return outcome;
    }

    public async Task<Outcome<QueryResult>> InsertAsync(string table, IReadOnlyList<ColumnValue> values, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        var statement = found.Succeeded ? SqliteRecordSql.Insert(found.Value!, values) : found.Error!;
        return await WriteAsync(statement, cancellationToken);
    }

    public async Task<Outcome<QueryResult>> UpdateAsync(
        string table, IReadOnlyList<ColumnValue> values, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        var statement = found.Succeeded ? SqliteRecordSql.Update(found.Value!, values, where) : found.Error!;
        return await WriteAsync(statement, cancellationToken);
    }

    public async Task<Outcome<QueryResult>> DeleteAsync(string table, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        var statement = found.Succeeded ? SqliteRecordSql.Delete(found.Value!, where) : found.Error!;
        return await WriteAsync(statement, cancellationToken);
    }

    public async Task<Outcome<IReadOnlyList<DbTableInfo>>> ListTablesAsync(CancellationToken cancellationToken)
    {
        var listed = await _runner.ReadAsync(SqliteCatalog.ListTables, SqlParameters.None, cancellationToken);
        return !listed.Succeeded
            ? listed.Error!
            : listed.Value!.Rows.Select(row => new DbTableInfo((string)row[0]!, "public", "table")).ToList();
    }

    public async Task<Outcome<long>> CountRowsAsync(string table, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Error!;
        }
        var counted = await _runner.ReadAsync(SqliteCatalog.CountRows(found.Value!.Name), SqlParameters.None, cancellationToken);
        return !counted.Succeeded ? counted.Error! : (long)counted.Value!.Rows[0][0]!;
    }

    public async Task<Outcome<IReadOnlyList<DbColumnInfo>>> GetColumnsAsync(string table, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        return !found.Succeeded ? found.Error! : new Outcome<IReadOnlyList<DbColumnInfo>>(found.Value!.Columns, null);
    }

    Task<Outcome<QueryResult>> WriteAsync(Outcome<SqliteRecordSql.Statement> statement, CancellationToken cancellationToken) =>
        statement.Succeeded
            ? _runner.WriteAsync(statement.Value!.Sql, statement.Value.Parameters, cancellationToken)
            : Task.FromResult<Outcome<QueryResult>>(statement.Error!);

    /// <summary>The caller's table by name, with its columns; internal tables are never found.</summary>
    async Task<Outcome<SqliteTable>> FindTableAsync(string table, CancellationToken cancellationToken)
    {
        if (_schema.TryGet(table, out var cached))
        {
            return cached;
        }
        var generation = _schema.Generation;
        var columns = await _runner.ReadAsync(SqliteCatalog.Columns, SqlParameters.Positional([SqliteCatalog.Text(table)]), cancellationToken);
        if (!columns.Succeeded)
        {
            return columns.Error!;
        }
        if (columns.Value!.Rows.Count == 0)
        {
            return DbErrors.TableNotFound(table, environment);
        }
        var found = SqliteCatalog.ToTable(columns.Value.Rows);
        _schema.Add(table, found, generation);
        return found;
    }
}
