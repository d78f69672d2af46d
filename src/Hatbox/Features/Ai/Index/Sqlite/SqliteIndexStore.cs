using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Hatbox.Features.Ai.Index.Sqlite;

/// <summary>
/// The vectors of one workspace and environment, in a SQLite file beside its database
/// (<c>data/tenants/{workspaceId}/{environment}.ai-index</c>), so the storage quota counts it and
/// it lives and dies with the tenant's data. Per row: key, content hash, model and vector, plus
/// the row's text columns in an FTS5 table for hybrid search's BM25. WAL: a committed batch
/// survives <c>kill -9</c>, and a restart re-embeds nothing that was committed. One process owns
/// the data folder, so nobody else writes here: no versions, and the lock is the process's own.
/// </summary>
internal sealed class SqliteIndexStore : IIndexStore, IDisposable
{
    readonly SqliteConnection _connection;
    readonly Lock _lock = new();

    public SqliteIndexStore(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS indexed_tables (name TEXT PRIMARY KEY, columns TEXT);
            CREATE TABLE IF NOT EXISTS vectors (tbl TEXT NOT NULL, key TEXT NOT NULL, hash BLOB NOT NULL, model TEXT NOT NULL,
                vector BLOB NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID;
            CREATE VIRTUAL TABLE IF NOT EXISTS keywords USING fts5(content, tbl UNINDEXED, key UNINDEXED, col UNINDEXED);
            CREATE TABLE IF NOT EXISTS embedded_rows (month TEXT PRIMARY KEY, rows INTEGER NOT NULL);
            """);
        // FTS5 finds a row by its UNINDEXED columns only by scanning the whole table, so replacing one
        // key's words took a scan per row. keyword_rows maps (table, key) to the keywords rowids; an
        // index file made before it existed gets it filled once, here.
        using var known = Command("SELECT count(*) FROM sqlite_schema WHERE name = 'keyword_rows'");
        if (Convert.ToInt64(known.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Execute("""
                BEGIN;
                CREATE TABLE keyword_rows (tbl TEXT NOT NULL, key TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tbl, key, id)) WITHOUT ROWID;
                INSERT INTO keyword_rows (tbl, key, id) SELECT tbl, key, rowid FROM keywords;
                COMMIT;
                """);
        }
    }

    public bool Shared => false;

    public Task<IReadOnlyList<IndexedTable>> TablesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<IndexedTable>>(Tables());

    public Task SaveTableAsync(string name, string? columns, CancellationToken cancellationToken)
    {
        SaveTable(name, columns);
        return Task.CompletedTask;
    }

    public Task<StoredRows> LoadAsync(string table, long sinceVersion, CancellationToken cancellationToken) =>
        Task.FromResult(new StoredRows(sinceVersion > 0 ? [] : Load(table), 0));

    public Task<long> VersionAsync(string table, CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<long> ApplyAsync(string table, IReadOnlyList<IndexUpsert> upserts, IReadOnlyList<string> deletes, string? month,
        CancellationToken cancellationToken)
    {
        Apply(table, upserts, deletes, month);
        return Task.FromResult(0L);
    }

    public Task<Dictionary<string, double>> KeywordsAsync(string table, IReadOnlyList<string> terms, IReadOnlyCollection<string> columns, int limit,
        CancellationToken cancellationToken) =>
        Task.FromResult(KeywordTerms.Fts5Expression(terms) is { } expression ? Keywords(table, expression, columns, limit) : []);

    public Task<Dictionary<string, string>> TextsAsync(string table, CancellationToken cancellationToken) => Task.FromResult(Texts(table));

    public Task<long> EmbeddedRowsAsync(string month, CancellationToken cancellationToken) => Task.FromResult(EmbeddedRows(month));

    // One indexer per process, and one process per data folder.
    public Task<IAsyncDisposable?> TryLockAsync(string table, CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable?>(NoLock.Instance);

    sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    List<IndexedTable> Tables()
    {
        lock (_lock)
        {
            using var command = Command("SELECT name, columns FROM indexed_tables");
            using var reader = command.ExecuteReader();
            var tables = new List<IndexedTable>();
            while (reader.Read())
                tables.Add(new IndexedTable(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            return tables;
        }
    }

    void SaveTable(string name, string? columns)
    {
        lock (_lock)
        {
            using var command = Command("INSERT INTO indexed_tables (name, columns) VALUES ($n, $c) ON CONFLICT (name) DO UPDATE SET columns = excluded.columns",
                ("$n", name), ("$c", (object?)columns ?? DBNull.Value));
            command.ExecuteNonQuery();
        }
    }

    List<StoredRow> Load(string table)
    {
        lock (_lock)
        {
            using var command = Command("SELECT key, hash, model, vector FROM vectors WHERE tbl = $t", ("$t", table));
            using var reader = command.ExecuteReader();
            var rows = new List<StoredRow>();
            while (reader.Read())
                rows.Add(new StoredRow(reader.GetString(0), (byte[])reader[1], reader.GetString(2), FromBlob((byte[])reader[3])));
            return rows;
        }
    }

    void Apply(string table, IReadOnlyList<IndexUpsert> upserts, IReadOnlyList<string> deletes, string? month = null)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            var embedded = upserts.Count(u => u.Vector is { Length: > 0 });
            if (month is not null && embedded > 0)
            {
                using var count = Command("INSERT INTO embedded_rows (month, rows) VALUES ($m, $r) ON CONFLICT (month) DO UPDATE SET rows = rows + excluded.rows",
                    ("$m", month), ("$r", embedded));
                count.ExecuteNonQuery();
            }
            foreach (var key in deletes.Concat(upserts.Select(u => u.Key)))
            {
                using var clearVector = Command("DELETE FROM vectors WHERE tbl = $t AND key = $k", ("$t", table), ("$k", key));
                clearVector.ExecuteNonQuery();
                using var clearWords = Command("""
                    DELETE FROM keywords WHERE rowid IN (SELECT id FROM keyword_rows WHERE tbl = $t AND key = $k);
                    DELETE FROM keyword_rows WHERE tbl = $t AND key = $k;
                    """, ("$t", table), ("$k", key));
                clearWords.ExecuteNonQuery();
            }
            foreach (var upsert in upserts)
            {
                using var insert = Command("INSERT INTO vectors (tbl, key, hash, model, vector) VALUES ($t, $k, $h, $m, $v)",
                    ("$t", table), ("$k", upsert.Key), ("$h", upsert.Hash), ("$m", upsert.Model), ("$v", ToBlob(upsert.Vector ?? [])));
                insert.ExecuteNonQuery();
                foreach (var (column, text) in upsert.Fields)
                {
                    using var words = Command("""
                        INSERT INTO keywords (content, tbl, key, col) VALUES ($c, $t, $k, $col);
                        INSERT INTO keyword_rows (tbl, key, id) VALUES ($t, $k, last_insert_rowid());
                        """, ("$c", text), ("$t", table), ("$k", upsert.Key), ("$col", column));
                    words.ExecuteNonQuery();
                }
            }
            transaction.Commit();
        }
    }

    Dictionary<string, double> Keywords(string table, string matchExpression, IReadOnlyCollection<string> columns, int limit)
    {
        lock (_lock)
        {
            using var command = Command("SELECT key, col, -bm25(keywords) FROM keywords WHERE keywords MATCH $q AND tbl = $t ORDER BY bm25(keywords) LIMIT $l",
                ("$q", matchExpression), ("$t", table), ("$l", limit));
            using var reader = command.ExecuteReader();
            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            while (reader.Read())
            {
                if (!columns.Contains(reader.GetString(1)))
                    continue;
                var key = reader.GetString(0);
                scores[key] = scores.GetValueOrDefault(key) + reader.GetDouble(2);
            }
            return scores;
        }
    }

    long EmbeddedRows(string month)
    {
        lock (_lock)
        {
            using var command = Command("SELECT rows FROM embedded_rows WHERE month = $m", ("$m", month));
            return command.ExecuteScalar() is long rows ? rows : 0;
        }
    }

    Dictionary<string, string> Texts(string table)
    {
        lock (_lock)
        {
            using var command = Command("SELECT key, group_concat(content, ' ') FROM keywords WHERE tbl = $t GROUP BY key", ("$t", table));
            using var reader = command.ExecuteReader();
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
                texts[reader.GetString(0)] = reader.GetString(1);
            return texts;
        }
    }

    void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }

    static byte[] ToBlob(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    static float[] FromBlob(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    public void Dispose() => _connection.Dispose();
}
