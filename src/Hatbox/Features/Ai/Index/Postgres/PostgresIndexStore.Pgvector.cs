using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Hatbox.Features.Ai.Index.Postgres;

/// <summary>
/// With pgvector, search runs in PostgreSQL: per indexed table (and model) a partial HNSW index
/// over the companion schema's <c>vectors</c>, made once and kept up to date by PostgreSQL on every
/// write, so no node holds the table's vectors. Without pgvector the vectors are <c>real[]</c> and
/// every node searches its own copy, as on SQLite.
/// </summary>
internal sealed partial class PostgresIndexStore : IStoreVectorSearch
{
    readonly ConcurrentDictionary<string, PgvectorSearch> _searches = new(StringComparer.Ordinal);

    public async Task<IVectorSearch?> VectorSearchAsync(string table, string model, int dimensions, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        if (dimensions <= 0 || !await usesPgvector(cancellationToken))
            return null;
        var name = HnswIndexName(table, model, dimensions);
        if (_searches.TryGetValue(name, out var ready))
            return ready;
        await using (var connection = await source.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Nodes starting together would race on the index's name: the schema's lock orders them.
            await using (var locking = new NpgsqlCommand($"SELECT pg_advisory_xact_lock(hashtext('{schema}'))", connection))
                await locking.ExecuteNonQueryAsync(cancellationToken);
            // The predicate and the expression are what PgvectorSearch's query names, so the planner
            // matches them; table and model are literals here (no parameters in an index), quoted.
            await using (var create = new NpgsqlCommand($"""
                CREATE INDEX IF NOT EXISTS "{name}" ON {S}.vectors USING hnsw ((vector::vector({dimensions})) vector_ip_ops)
                WHERE tbl = {Literal(table)} AND model = {Literal(model)}
                """, connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return _searches.GetOrAdd(name, _ => new PgvectorSearch(source, S, table, model, dimensions));
    }

    public async Task<StoredRows> LoadKeysAsync(string table, long sinceVersion, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var live = sinceVersion <= 0 ? " AND NOT deleted" : "";
        await using var command = source.CreateCommand(
            $"SELECT key, hash, model, deleted, version FROM {S}.vectors WHERE tbl = $1 AND version > $2{live}");
        command.Parameters.Add(new() { Value = table });
        command.Parameters.Add(new() { Value = sinceVersion });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<StoredRow>();
        var version = sinceVersion;
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredRow(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2), [], reader.GetBoolean(3)));
            version = Math.Max(version, reader.GetInt64(4));
        }
        return new StoredRows(rows, version);
    }

    /// <summary>A name PostgreSQL keeps whole (under 63 bytes) for any table name: a digest of table, model and size.</summary>
    public static string HnswIndexName(string table, string model, int dimensions) =>
        "vectors_hnsw_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{table}\n{model}\n{dimensions}")))[..24];

    static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
