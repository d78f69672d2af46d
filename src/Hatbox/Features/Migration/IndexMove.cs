using System.Runtime.InteropServices;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Ai.Index.Postgres;
using Hatbox.Features.Ai.Index.Sqlite;
using Hatbox.Features.Db;
using Hatbox.Features.Db.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Migration;

/// <summary>One workspace × environment's search index file, to be copied into its companion schema.</summary>
internal sealed record IndexSource(string WorkspaceId, DbEnvironment Environment, string Path)
{
    public string Schema => PostgresIndexStores.SchemaOf(WorkspaceId, Environment);
}

/// <summary>
/// Every <c>.ai-index</c> file of the data folder (<see cref="SqliteIndexStore"/>) into the
/// companion schema a node would make for it (<see cref="PostgresIndexStore"/>), through that
/// store's own writes: column choices, per row its key, content hash, model, vector and text, and
/// the rows embedded each month. A moved table is then searchable at once: its rows match by hash
/// and nothing is embedded again. Table and column names are renamed as the tenant's tables are
/// (<see cref="TenantSchema.TargetName"/>), so the index keeps naming what the tables are called.
/// </summary>
internal sealed class IndexMove(string dataDirectory, TenantStoreOptions store) : IAsyncDisposable
{
    const int BatchRows = 500;

    readonly PostgresIndexStores _stores = new(Options.Create(store), NullLogger<PostgresIndexStores>.Instance);

    /// <summary>The index files beside databases that move; an index whose database is not there has nothing to search.</summary>
    public List<IndexSource> Scan(IReadOnlyList<TenantSource> tenants, List<string> notMoved)
    {
        var sources = new List<IndexSource>();
        var root = new DirectoryInfo(System.IO.Path.Combine(dataDirectory, "tenants"));
        if (!root.Exists)
            return sources;
        foreach (var file in root.EnumerateFiles("*" + SqliteIndexStores.IndexFileExtension, SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            var workspaceId = file.Directory!.Name;
            if (DbEnvironments.TryParse(System.IO.Path.GetFileNameWithoutExtension(file.Name), out var environment)
                && tenants.Any(t => t.WorkspaceId == workspaceId && t.Environment == environment))
            {
                sources.Add(new IndexSource(workspaceId, environment, file.FullName));
            }
            else
            {
                notMoved.Add($"{workspaceId}/{file.Name}: a search index with no database of its own beside it");
            }
        }
        return sources;
    }

    /// <summary>Refuses if a companion schema the move would fill exists already.</summary>
    public async Task PrepareTargetAsync(IReadOnlyList<IndexSource> sources, CancellationToken cancellationToken)
    {
        var existing = await TargetSchemas.ExistingAsync(store.ConnectionString, sources.Select(s => s.Schema), cancellationToken);
        if (existing.Count > 0)
        {
            throw MoveFailure.NotEmpty($"The target tenants database already has the search index schemas {string.Join(", ", existing)}. "
                + "Move only into an empty database (docs/scale-out.md, \"Moving an embedded installation\").");
        }
    }

    /// <summary>Copies one index; answers the source side's checksum per table (vectors) and its keyword and embedded-row counts.</summary>
    public async Task<IndexSums> CopyAsync(IndexSource source, CancellationToken cancellationToken)
    {
        var target = Target(source);
        await target.EnsureAsync(cancellationToken);
        using var sqlite = TenantSchema.OpenReadOnly(source.Path);
        var sums = new IndexSums();
        foreach (var (name, columns) in Read(sqlite, "SELECT name, columns FROM indexed_tables ORDER BY name", r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1))))
            await target.SaveTableAsync(TenantSchema.TargetName(name), RenamedColumns(columns), cancellationToken);

        foreach (var table in Read(sqlite, "SELECT DISTINCT tbl FROM vectors ORDER BY tbl", r => r.GetString(0)))
        {
            var sum = new RowChecksum();
            var batch = new List<IndexUpsert>(BatchRows);
            using var rows = new SqliteCommand("SELECT key, hash, model, vector FROM vectors WHERE tbl = $t ORDER BY key", sqlite);
            rows.Parameters.AddWithValue("$t", table);
            using var reader = rows.ExecuteReader();
            while (reader.Read())
            {
                var (key, hash, model, blob) = (reader.GetString(0), (byte[])reader[1], reader.GetString(2), (byte[])reader[3]);
                var fields = Fields(sqlite, table, key);
                var renamed = fields.Select(f => (TenantSchema.TargetName(f.Column), f.Text)).ToList();
                // The hash covers "column: text" lines, and columns may be renamed (lower case): a row
                // whose hash is current gets the hash of its renamed lines, so the node's pass finds it
                // unchanged and keeps its vector (embedded from the old column name, which says the same).
                if (hash.AsSpan().SequenceEqual(RowText.Hash(model, RowText.Join(fields))))
                    hash = RowText.Hash(model, RowText.Join(renamed));
                AddRow(sum, key, hash, model, blob);
                batch.Add(new IndexUpsert(key, hash, model, MemoryMarshal.Cast<byte, float>(blob).ToArray(), renamed));
                if (batch.Count == BatchRows)
                {
                    await target.ApplyAsync(TenantSchema.TargetName(table), batch, [], null, cancellationToken);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
                await target.ApplyAsync(TenantSchema.TargetName(table), batch, [], null, cancellationToken);
            sums.Vectors[TenantSchema.TargetName(table)] = sum;
            sums.Keywords[TenantSchema.TargetName(table)] = Scalar(sqlite, "SELECT count(*) FROM keyword_rows WHERE tbl = $t", table);
        }
        foreach (var (month, count) in Read(sqlite, "SELECT month, rows FROM embedded_rows ORDER BY month", r => (r.GetString(0), r.GetInt64(1))))
        {
            await target.AddEmbeddedRowsAsync(month, count, cancellationToken);
            sums.EmbeddedRows[month] = count;
        }
        return sums;
    }

    /// <summary>Reads the copy back through the store: every live row's key, hash, model and vector, the keyword rows, the embedded rows.</summary>
    public async Task<IndexReport> VerifyAsync(IndexSource source, IndexSums copied, CancellationToken cancellationToken)
    {
        var target = Target(source);
        var tables = new Dictionary<string, TableReport>(StringComparer.Ordinal);
        foreach (var (table, before) in copied.Vectors)
        {
            var sum = new RowChecksum();
            foreach (var row in (await target.LoadAsync(table, 0, cancellationToken)).Rows)
                AddRow(sum, row.Key, row.Hash, row.Model, MemoryMarshal.AsBytes(row.Vector.AsSpan()).ToArray());
            tables[table] = new TableReport(before.Rows, sum.Rows, before.Hex(), sum.Hex());
            var keywords = await target.KeywordRowsAsync(table, cancellationToken);
            tables[table + " (keywords)"] = new TableReport(copied.Keywords[table], keywords, "", "");
        }
        foreach (var (month, rows) in copied.EmbeddedRows)
            tables[$"embedded_rows {month}"] = new TableReport(rows, await target.EmbeddedRowsAsync(month, cancellationToken), "", "");
        return new IndexReport(source.WorkspaceId, source.Environment.Name(), source.Schema, tables);
    }

    PostgresIndexStore Target(IndexSource source) => (PostgresIndexStore)_stores.Get(source.WorkspaceId, source.Environment);

    /// <summary>The admin's column choice (a JSON array of names, or null for every text column), in the target's names.</summary>
    static string? RenamedColumns(string? columns) =>
        columns is null || System.Text.Json.JsonSerializer.Deserialize(columns, Ai.AiJsonContext.Default.IReadOnlyListString) is not { } names
            ? columns
            : System.Text.Json.JsonSerializer.Serialize<IReadOnlyList<string>>([.. names.Select(TenantSchema.TargetName)], Ai.AiJsonContext.Default.IReadOnlyListString);

    static void AddRow(RowChecksum sum, string key, byte[] hash, string model, byte[] vector)
    {
        sum.Add(key);
        sum.Add(hash);
        sum.Add(model);
        sum.Add(vector);
        sum.EndRow();
    }

    /// <summary>The row's texts by column, as the indexer stored them (keyword_rows maps a key to its FTS5 rows).</summary>
    static List<(string Column, string Text)> Fields(SqliteConnection sqlite, string table, string key)
    {
        using var command = new SqliteCommand(
            "SELECT k.col, k.content FROM keyword_rows r JOIN keywords k ON k.rowid = r.id WHERE r.tbl = $t AND r.key = $k ORDER BY r.id", sqlite);
        command.Parameters.AddWithValue("$t", table);
        command.Parameters.AddWithValue("$k", key);
        using var reader = command.ExecuteReader();
        var fields = new List<(string, string)>();
        while (reader.Read())
            fields.Add((reader.GetString(0), reader.GetString(1)));
        return fields;
    }

    static List<T> Read<T>(SqliteConnection sqlite, string sql, Func<SqliteDataReader, T> map)
    {
        using var command = new SqliteCommand(sql, sqlite);
        using var reader = command.ExecuteReader();
        var items = new List<T>();
        while (reader.Read())
            items.Add(map(reader));
        return items;
    }

    static long Scalar(SqliteConnection sqlite, string sql, string table)
    {
        using var command = new SqliteCommand(sql, sqlite);
        command.Parameters.AddWithValue("$t", table);
        return (long)command.ExecuteScalar()!;
    }

    public ValueTask DisposeAsync() => _stores.DisposeAsync();
}

/// <summary>The source side of one index, summed while copying.</summary>
internal sealed class IndexSums
{
    public Dictionary<string, RowChecksum> Vectors { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Keywords { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> EmbeddedRows { get; } = new(StringComparer.Ordinal);
}
