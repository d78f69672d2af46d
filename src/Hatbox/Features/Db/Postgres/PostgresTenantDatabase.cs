using System.Diagnostics;
using System.Net.Sockets;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Npgsql;

namespace Hatbox.Features.Db.Postgres;

/// <summary>
/// One workspace's schema in one environment, reached only as the tenant's own login role. Every
/// request runs exactly one statement through the extended protocol, which refuses a second one, on
/// a connection whose <c>search_path</c> and timeouts are pinned by its startup options and restored
/// by the pool's reset whatever an earlier statement set (<see cref="RunAloneAsync"/>).
/// </summary>
internal sealed class PostgresTenantDatabase(
    PostgresTenantProvisioner provisioner, string workspaceId, DbEnvironment environment, DbOptions options) : ITenantDatabase, IAsyncDisposable
{
    readonly string _schema = PostgresTenantProvisioner.NameOf(workspaceId, environment);
    readonly SemaphoreSlim _opening = new(1, 1);
    NpgsqlDataSource? _source;

    public async Task<Outcome<QueryResult>> QueryAsync(TenantQuery query, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var prepared = PostgresStatementText.Prepare(query.Sql, query.Parameters, options);
        if (!prepared.Succeeded)
        {
            return prepared.Error!;
        }
        if (prepared.Value!.MayGrow && await query.BeforeGrowingWrite(cancellationToken) is { } refused)
        {
            return refused;
        }
        var outcome = await RunAsync(prepared.Value, cancellationToken);
        if (outcome.Value is { } result)
        {
            result.Elapsed = Stopwatch.GetElapsedTime(started);
        }
        return outcome;
    }

    /// <summary>Generated SQL (nl-query): the same checks, in a <c>READ ONLY</c> transaction as the tenant's role.</summary>
    public async Task<Outcome<QueryResult>> ReadOnlyQueryAsync(string sql, SqlParameters parameters, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var prepared = PostgresStatementText.Prepare(sql, parameters, options);
        if (!prepared.Succeeded)
        {
            return prepared.Error!;
        }
        var statement = prepared.Value!;
        var outcome = await RunAsync(statement.Sql, [.. statement.Values.Select(PostgresValues.ToParameter)], cancellationToken, readOnly: true);
        if (outcome.Value is { } result)
        {
            result.Elapsed = Stopwatch.GetElapsedTime(started);
        }
        return outcome;
    }

    public async Task<Outcome<QueryResult>> InsertAsync(string table, IReadOnlyList<ColumnValue> values, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        return found.Succeeded ? await RunAsync(PostgresRecordSql.Insert(found.Value!, values), cancellationToken) : found.Error!;
    }

    public async Task<Outcome<QueryResult>> UpdateAsync(
        string table, IReadOnlyList<ColumnValue> values, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        return found.Succeeded ? await RunAsync(PostgresRecordSql.Update(found.Value!, values, where), cancellationToken) : found.Error!;
    }

    public async Task<Outcome<QueryResult>> DeleteAsync(string table, IReadOnlyList<ColumnValue> where, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        return found.Succeeded ? await RunAsync(PostgresRecordSql.Delete(found.Value!, where), cancellationToken) : found.Error!;
    }

    public async Task<Outcome<IReadOnlyList<DbTableInfo>>> ListTablesAsync(CancellationToken cancellationToken)
    {
        var listed = await RunOursAsync(PostgresCatalog.ListTables, [_schema], cancellationToken);
        return !listed.Succeeded
            ? listed.Error!
            : listed.Value!.Rows.Select(row => new DbTableInfo((string)row[0]!, "public", (string)row[1]!)).ToList();
    }

    public async Task<Outcome<long>> CountRowsAsync(string table, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Error!;
        }
        var counted = await RunOursAsync($"SELECT count(*) FROM {PostgresRecordSql.Quote(found.Value!.Name)}", [], cancellationToken);
        return !counted.Succeeded ? counted.Error! : (long)counted.Value!.Rows[0][0]!;
    }

    public async Task<Outcome<IReadOnlyList<DbColumnInfo>>> GetColumnsAsync(string table, CancellationToken cancellationToken)
    {
        var found = await FindTableAsync(table, cancellationToken);
        return !found.Succeeded ? found.Error! : new Outcome<IReadOnlyList<DbColumnInfo>>(found.Value!.Columns, null);
    }

    async Task<Outcome<PgTable>> FindTableAsync(string table, CancellationToken cancellationToken)
    {
        var columns = await RunOursAsync(PostgresCatalog.Columns, [_schema, table], cancellationToken);
        if (!columns.Succeeded)
        {
            return columns.Error!;
        }
        var rows = columns.Value!.Rows;
        if (rows.Count == 0)
        {
            return DbErrors.TableNotFound(table, environment);
        }
        return new PgTable((string)rows[0][0]!, [.. rows.Select(r => new DbColumnInfo(
            (string)r[1]!, (string)r[2]!, (long)r[3]! == 1, r[4] as string, (long)r[5]! == 1))]);
    }

    Task<Outcome<QueryResult>> RunAsync(Outcome<PgStatement> statement, CancellationToken cancellationToken) =>
        statement.Succeeded ? RunAsync(statement.Value!, cancellationToken) : Task.FromResult<Outcome<QueryResult>>(statement.Error!);

    /// <summary>The platform's own catalog reads, still as the tenant's role (so they see only what it may).</summary>
    Task<Outcome<QueryResult>> RunOursAsync(string sql, string[] values, CancellationToken cancellationToken) =>
        RunAsync(sql, [.. values.Select(v => new NpgsqlParameter { Value = v })], cancellationToken);

    Task<Outcome<QueryResult>> RunAsync(PgStatement statement, CancellationToken cancellationToken) =>
        RunAsync(statement.Sql, [.. statement.Values.Select(PostgresValues.ToParameter)], cancellationToken);

    async Task<Outcome<QueryResult>> RunAsync(
        string sql, List<NpgsqlParameter> parameters, CancellationToken cancellationToken, bool readOnly = false)
    {
        try
        {
            var source = await SourceAsync(cancellationToken);
            await using var connection = await source.OpenConnectionAsync(cancellationToken);
            // Behind statement_timeout, which a statement could change for later ones: a client-side
            // deadline that cancels on the server too.
            var deadlineSeconds = (int)Math.Ceiling(options.QueryTimeoutMilliseconds / 1000.0) + 1;
            return readOnly
                ? await RunReadOnlyAsync(connection, sql, parameters, deadlineSeconds, cancellationToken)
                : await RunAloneAsync(connection, sql, parameters, deadlineSeconds, cancellationToken);
        }
        catch (PostgresException e)
        {
            return PostgresErrors.Map(e, environment, options);
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            return DbErrors.Timeout(options.QueryTimeout);
        }
        catch (NpgsqlException e) when (e.InnerException is SocketException or IOException or EndOfStreamException)
        {
            // The tenants' server is down or restarting: the client may retry (503); the store's health
            // probe clears the pools when it is back, so no dead connection is handed out then.
            return StoreUnavailableException.ErrorFor(StoreNames.Tenants);
        }
    }

    /// <summary>
    /// One statement, alone: one round trip, no <c>BEGIN</c>/<c>COMMIT</c>. The server runs it in a
    /// transaction of its own (committed before it answers, or rolled back whole), and the extended
    /// protocol's one Parse refuses a second statement ("SELECT 1; RESET ROLE"). What the pins of a
    /// transaction gave, the connection gives: <c>search_path</c>, <c>statement_timeout</c> and
    /// <c>lock_timeout</c> are its startup options (PostgresTenantProvisioner), and Npgsql resets the
    /// session (<c>RESET ALL</c> with the rest of <c>DISCARD ALL</c>) when it comes back from the pool, so a
    /// <c>set_config(…, false)</c> lasts no longer than the statement that made it.
    /// </summary>
    async Task<QueryResult> RunAloneAsync(
        NpgsqlConnection connection, string sql, List<NpgsqlParameter> parameters, int deadlineSeconds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = deadlineSeconds };
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = await ReadAsync(reader, cancellationToken);
        result.Changes = Math.Max(0, reader.RecordsAffected);
        return result;
    }

    /// <summary>Generated SQL: a <c>READ ONLY</c> transaction, with the pins as <c>SET LOCAL</c>s in the statement's batch.</summary>
    async Task<QueryResult> RunReadOnlyAsync(
        NpgsqlConnection connection, string sql, List<NpgsqlParameter> parameters, int deadlineSeconds, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var timeout = options.QueryTimeoutMilliseconds;
        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = deadlineSeconds };
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET TRANSACTION READ ONLY"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL search_path = \"{_schema}\""));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL statement_timeout = {timeout}"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL lock_timeout = {timeout}"));
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters.ToArray());
        batch.BatchCommands.Add(command);
        QueryResult result;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // None of the pins answers rows, so the reader opens on the statement's result.
            result = await ReadAsync(reader, cancellationToken);
        }
        result.Changes = Math.Max(0, batch.BatchCommands[^1].RecordsAffected);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    async Task<QueryResult> ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var columns = new string[reader.FieldCount];
        // A void column (SELECT pg_sleep(1)) has no value Npgsql can read: it answers null, as SQLite's would.
        var voids = new bool[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = reader.GetName(i);
            voids[i] = reader.GetDataTypeName(i) == "void";
        }
        var result = new QueryResult(columns);
        long bytes = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (result.Rows.Count == options.MaxRows || bytes > options.MaxResultBytes)
            {
                result.Truncated = true;
                break;
            }
            var row = new object?[columns.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = voids[i] ? null : PostgresValues.FromReader(reader, i);
                bytes += PostgresValues.SizeOf(row[i]);
            }
            result.Rows.Add(row);
        }
        await reader.CloseAsync();
        return result;
    }

    async Task<NpgsqlDataSource> SourceAsync(CancellationToken cancellationToken)
    {
        if (_source is { } ready)
        {
            return ready;
        }
        await _opening.WaitAsync(cancellationToken);
        try
        {
            return _source ??= NpgsqlDataSource.Create(await provisioner.EnsureAsync(workspaceId, environment, cancellationToken));
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>Drops idle connections: after the server restarted they are all dead.</summary>
    public void ClearPool() => _source?.Clear();

    public async ValueTask DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }
        _opening.Dispose();
    }
}
