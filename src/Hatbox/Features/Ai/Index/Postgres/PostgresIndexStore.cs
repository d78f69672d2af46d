using System.Data;
using Hatbox.Features.Db;
using Npgsql;
using NpgsqlTypes;

namespace Hatbox.Features.Ai.Index.Postgres;

/// <summary>
/// One workspace and environment's index in PostgreSQL, in a companion schema the platform's
/// login owns (<c>{tenant schema}_ai</c>): the tenant's role has no grant on it, so its
/// <c>/db/query</c> cannot read it (nor anyone else's), and <c>/db/tables</c>, which lists the
/// tenant's own schema, never shows it. Every node reads and writes the same rows. Each write
/// batch takes the next number of a sequence as its version, and deletions stay as tombstones
/// with theirs, so a node brings its copy in memory up to date by loading only rows newer than
/// the version it has. Tombstones older than a bound are pruned (<see cref="PruneTombstonesAsync"/>),
/// and <c>pruned</c> keeps the highest version pruned per table: a copy older than that may have
/// missed a deletion, so it is loaded again in full instead (<see cref="LoadAsync"/>). Keyword scores are BM25, computed here over the stored terms of the rows
/// that contain any query term, as FTS5 does it on SQLite (so a rare SKU still wins).
/// </summary>
internal sealed partial class PostgresIndexStore(
    NpgsqlDataSource source, string schema, string workspaceId, DbEnvironment environment, Func<CancellationToken, Task<bool>> usesPgvector)
    : IIndexStore, IDisposable
{
    // More rows than this matching a keyword query are a common word's, and add little.
    const int KeywordCandidates = 5_000;

    readonly SemaphoreSlim _ensuring = new(1, 1);
    volatile bool _ensured;

    string S => "\"" + schema + "\"";

    public bool Shared => true;

    public string Schema => schema;

    /// <summary>Makes the schema and its tables once per process (every node may, at once: an advisory lock orders them).</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ensured)
            return;
        await _ensuring.WaitAsync(cancellationToken);
        try
        {
            if (_ensured)
                return;
            var vectorType = await usesPgvector(cancellationToken) ? "vector" : "real[]";
            await using var connection = await source.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock(hashtext('{schema}'))", cancellationToken);
            // The schema name is a hex digest (PostgresTenantProvisioner.NameOf), never request text.
            await ExecuteAsync(connection, $"""
                CREATE SCHEMA IF NOT EXISTS {S};
                REVOKE ALL ON SCHEMA {S} FROM PUBLIC;
                CREATE SEQUENCE IF NOT EXISTS {S}.versions;
                CREATE TABLE IF NOT EXISTS {S}.indexed_tables (name text PRIMARY KEY, columns text);
                CREATE TABLE IF NOT EXISTS {S}.vectors (tbl text NOT NULL, key text NOT NULL, hash bytea NOT NULL, model text NOT NULL,
                    vector {vectorType}, deleted boolean NOT NULL DEFAULT false, version bigint NOT NULL, deleted_at timestamptz,
                    PRIMARY KEY (tbl, key));
                CREATE INDEX IF NOT EXISTS vectors_by_version ON {S}.vectors (tbl, version);
                DO $tombstones$ BEGIN
                    -- Schemas made before tombstones were pruned: without a time, theirs are pruned at the first pass.
                    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '{S}.vectors'::regclass AND attname = 'deleted_at') THEN
                        ALTER TABLE {S}.vectors ADD COLUMN deleted_at timestamptz;
                    END IF;
                END $tombstones$;
                CREATE TABLE IF NOT EXISTS {S}.pruned (tbl text PRIMARY KEY, through bigint NOT NULL);
                CREATE TABLE IF NOT EXISTS {S}.keywords (tbl text NOT NULL, key text NOT NULL, col text NOT NULL, content text NOT NULL,
                    terms text[] NOT NULL, length int NOT NULL, PRIMARY KEY (tbl, key, col));
                CREATE INDEX IF NOT EXISTS keywords_by_term ON {S}.keywords USING gin (terms);
                CREATE TABLE IF NOT EXISTS {S}.embedded_rows (month text PRIMARY KEY, rows bigint NOT NULL);
                """, cancellationToken);
            await using (var register = new NpgsqlCommand(
                $"INSERT INTO {PostgresIndexStores.Registry} (schema_name, workspace_id, environment) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", connection)
            {
                Parameters = { new() { Value = schema }, new() { Value = workspaceId }, new() { Value = environment.Name() } },
            })
            {
                await register.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            _ensured = true;
        }
        finally
        {
            _ensuring.Release();
        }
    }

    public async Task<IReadOnlyList<IndexedTable>> TablesAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var command = source.CreateCommand($"SELECT name, columns FROM {S}.indexed_tables ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new List<IndexedTable>();
        while (await reader.ReadAsync(cancellationToken))
            tables.Add(new IndexedTable(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        return tables;
    }

    public async Task SaveTableAsync(string name, string? columns, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var command = source.CreateCommand(
            $"INSERT INTO {S}.indexed_tables (name, columns) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET columns = excluded.columns");
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = (object?)columns ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Rows newer than <paramref name="sinceVersion"/>, or, when that copy is older than the newest
    /// pruned tombstone (it may have missed a deletion whose trace is gone), every live row with
    /// <see cref="StoredRows.Complete"/> set, so the caller replaces its copy instead of merging.
    /// The horizon and the rows are read in one snapshot, so a prune in between cannot slip through.
    /// </summary>
    public async Task<StoredRows> LoadAsync(string table, long sinceVersion, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var (latest, through) = await VersionsAsync(connection, table, cancellationToken);
        var complete = sinceVersion <= 0 || sinceVersion < through;
        var which = complete ? "NOT deleted" : "version > $2";
        await using var command = new NpgsqlCommand(
            $"SELECT key, hash, model, vector::real[], deleted FROM {S}.vectors WHERE tbl = $1 AND {which}", connection);
        command.Parameters.Add(new() { Value = table });
        if (!complete)
            command.Parameters.Add(new() { Value = sinceVersion });
        var rows = new List<StoredRow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var vector = reader.IsDBNull(3) ? [] : reader.GetFieldValue<float[]>(3);
                rows.Add(new StoredRow(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2), vector, reader.GetBoolean(4)));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        // The snapshot's version, tombstones and the prune horizon included: a copy left below the
        // horizon would be reloaded in full at every check.
        return new StoredRows(rows, Math.Max(sinceVersion, Math.Max(latest, through)), complete);
    }

    public async Task<long> VersionAsync(string table, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        // With the horizon: when the newest rows were tombstones and are pruned, the table's version must not go back.
        var (latest, through) = await VersionsAsync(connection, table, cancellationToken);
        return Math.Max(latest, through);
    }

    async Task<(long Latest, long Through)> VersionsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT coalesce((SELECT max(version) FROM {S}.vectors WHERE tbl = $1), 0), coalesce((SELECT through FROM {S}.pruned WHERE tbl = $1), 0)",
            connection);
        command.Parameters.Add(new() { Value = table });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Deletes the tombstones older than <paramref name="retention"/> and raises each table's
    /// horizon to the highest version deleted, in one statement (so one transaction): a reader sees
    /// both or neither. Answers how many tombstones went.
    /// </summary>
    public async Task<long> PruneTombstonesAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var command = source.CreateCommand($"""
            WITH gone AS (
                DELETE FROM {S}.vectors WHERE deleted AND (deleted_at IS NULL OR deleted_at < now() - make_interval(secs => $1))
                RETURNING tbl, version),
            raised AS (
                INSERT INTO {S}.pruned (tbl, through) SELECT tbl, max(version) FROM gone GROUP BY tbl
                ON CONFLICT (tbl) DO UPDATE SET through = greatest({S}.pruned.through, excluded.through))
            SELECT count(*) FROM gone
            """);
        command.Parameters.Add(new() { Value = retention.TotalSeconds });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<long> ApplyAsync(string table, IReadOnlyList<IndexUpsert> upserts, IReadOnlyList<string> deletes, string? month,
        CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long version;
        await using (var next = new NpgsqlCommand($"SELECT nextval('{S}.versions')", connection))
            version = (long)(await next.ExecuteScalarAsync(cancellationToken))!;

        await using var batch = new NpgsqlBatch(connection);
        var embedded = upserts.Count(u => u.Vector is { Length: > 0 });
        if (month is not null && embedded > 0)
        {
            batch.BatchCommands.Add(Command(
                $"INSERT INTO {S}.embedded_rows (month, rows) VALUES ($1, $2) ON CONFLICT (month) DO UPDATE SET rows = {S}.embedded_rows.rows + excluded.rows",
                month, (long)embedded));
        }
        var changed = deletes.Concat(upserts.Select(u => u.Key)).ToArray();
        if (changed.Length > 0)
            batch.BatchCommands.Add(Command($"DELETE FROM {S}.keywords WHERE tbl = $1 AND key = ANY($2)", table, changed));
        if (deletes.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                $"UPDATE {S}.vectors SET deleted = true, vector = NULL, version = $3, deleted_at = now() WHERE tbl = $1 AND key = ANY($2)", table, deletes.ToArray(), version));
        }
        foreach (var upsert in upserts)
        {
            var vector = new NpgsqlParameter { Value = upsert.Vector is { Length: > 0 } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real };
            var insert = Command($"""
                INSERT INTO {S}.vectors (tbl, key, hash, model, vector, deleted, version) VALUES ($1, $2, $3, $4, $5, false, $6)
                ON CONFLICT (tbl, key) DO UPDATE SET hash = excluded.hash, model = excluded.model, vector = excluded.vector, deleted = false,
                    deleted_at = NULL, version = excluded.version
                """, table, upsert.Key, upsert.Hash, upsert.Model);
            insert.Parameters.Add(vector);
            insert.Parameters.Add(new NpgsqlParameter { Value = version });
            batch.BatchCommands.Add(insert);
            foreach (var (column, text) in upsert.Fields)
            {
                var terms = KeywordTerms.Split(text).Select(t => t.ToLowerInvariant()).ToList();
                batch.BatchCommands.Add(Command(
                    $"INSERT INTO {S}.keywords (tbl, key, col, content, terms, length) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                    table, upsert.Key, column, text, terms.Distinct().ToArray(), terms.Count));
            }
        }
        if (batch.BatchCommands.Count > 0)
            await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task<Dictionary<string, double>> KeywordsAsync(string table, IReadOnlyList<string> terms, IReadOnlyCollection<string> columns,
        int limit, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var wanted = terms.Select(t => t.ToLowerInvariant()).Distinct().ToArray();
        if (wanted.Length == 0 || columns.Count == 0)
            return [];
        long documents;
        double averageLength;
        await using (var stats = source.CreateCommand($"SELECT count(*), coalesce(avg(length), 0)::float8 FROM {S}.keywords WHERE tbl = $1"))
        {
            stats.Parameters.Add(new() { Value = table });
            await using var reader = await stats.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (documents, averageLength) = (reader.GetInt64(0), reader.GetDouble(1));
        }
        var matches = new List<(string Key, Dictionary<string, int> Counts, int Length)>();
        await using (var command = source.CreateCommand(
            $"SELECT key, content, length FROM {S}.keywords WHERE tbl = $1 AND terms && $2 AND col = ANY($3) LIMIT {KeywordCandidates}"))
        {
            command.Parameters.Add(new() { Value = table });
            command.Parameters.Add(new() { Value = wanted });
            command.Parameters.Add(new() { Value = columns.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var term in KeywordTerms.Split(reader.GetString(1)))
                {
                    var folded = term.ToLowerInvariant();
                    if (wanted.Contains(folded))
                        counts[folded] = counts.GetValueOrDefault(folded) + 1;
                }
                matches.Add((reader.GetString(0), counts, reader.GetInt32(2)));
            }
        }
        return Bm25.Score(matches, documents, averageLength, limit);
    }

    public async Task<Dictionary<string, string>> TextsAsync(string table, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var command = source.CreateCommand($"SELECT key, string_agg(content, ' ') FROM {S}.keywords WHERE tbl = $1 GROUP BY key");
        command.Parameters.Add(new() { Value = table });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            texts[reader.GetString(0)] = reader.GetString(1);
        return texts;
    }

    public async Task<long> EmbeddedRowsAsync(string month, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var command = source.CreateCommand($"SELECT rows FROM {S}.embedded_rows WHERE month = $1");
        command.Parameters.Add(new() { Value = month });
        return await command.ExecuteScalarAsync(cancellationToken) is long rows ? rows : 0;
    }

    /// <summary>The move from an embedded installation: adds <paramref name="rows"/> to a month's embedded rows as the source counted them.</summary>
    public async Task AddEmbeddedRowsAsync(string month, long rows, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var command = source.CreateCommand(
            $"INSERT INTO {S}.embedded_rows (month, rows) VALUES ($1, $2) ON CONFLICT (month) DO UPDATE SET rows = {S}.embedded_rows.rows + excluded.rows");
        command.Parameters.Add(new() { Value = month });
        command.Parameters.Add(new() { Value = rows });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The move's verification: how many keyword rows (one per row and text column) the table has.</summary>
    public async Task<long> KeywordRowsAsync(string table, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await using var command = source.CreateCommand($"SELECT count(*) FROM {S}.keywords WHERE tbl = $1");
        command.Parameters.Add(new() { Value = table });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// A session advisory lock on a connection of its own, held for the whole pass: a node that
    /// dies mid-pass drops the connection, and with it the lock, so another node takes over.
    /// </summary>
    public async Task<IAsyncDisposable?> TryLockAsync(string table, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var connection = await source.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection);
            command.Parameters.Add(new() { Value = $"hatbox_ai/{schema}/{table}" });
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                return new Held(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    sealed class Held(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await command.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and the lock with it.
            }
            await connection.DisposeAsync();
        }
    }

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose() => _ensuring.Dispose();
}
