using Npgsql;

namespace Hatbox.Features.Ai.Index.Postgres;

/// <summary>
/// One table's nearest neighbours asked of PostgreSQL: <c>ORDER BY vector &lt;#&gt; query LIMIT k</c>
/// over the partial HNSW index <see cref="PostgresIndexStore.VectorSearchAsync"/> made (inner
/// product of unit vectors: the score is the same cosine the in-process search gives). A filter
/// (<c>within</c>) is a key list the tenant's database answered, so those rows are scored exactly
/// through the primary key; keys to leave out raise <c>hnsw.ef_search</c> and are dropped here; when
/// that leaves fewer rows than asked for, an exact scan answers instead, so results never depend
/// on how the graph happens to be connected.
/// </summary>
internal sealed class PgvectorSearch(NpgsqlDataSource source, string quotedSchema, string table, string model, int dimensions) : IVectorSearch
{
    /// <summary>pgvector's largest <c>hnsw.ef_search</c>: the graph answers at most that many rows.</summary>
    const int MaxEfSearch = 1_000;

    /// <summary>pgvector's default, below which a small limit loses recall.</summary>
    const int MinEfSearch = 40;

    public bool InStore => true;

    /// <summary>The approximate query, the one the HNSW index serves ($1 table, $2 model, $3 query vector, $4 limit).</summary>
    public static string ApproximateSql(string quotedSchema, int dimensions) => $"""
        SELECT key, -(vector::vector({dimensions}) <#> $3::vector({dimensions})) FROM {quotedSchema}.vectors
        WHERE tbl = $1 AND model = $2 ORDER BY vector::vector({dimensions}) <#> $3::vector({dimensions}) LIMIT $4
        """;

    /// <summary>Every live row scored ($1 table, $2 model, $3 query vector, $4 limit, $5 keys to leave out, $6 keys to keep or null).</summary>
    static string ExactSql(string quotedSchema) => $"""
        SELECT key, -(vector <#> $3::vector) FROM {quotedSchema}.vectors
        WHERE tbl = $1 AND model = $2 AND vector IS NOT NULL AND NOT (key = ANY($5)) AND ($6::text[] IS NULL OR key = ANY($6))
        ORDER BY vector <#> $3::vector LIMIT $4
        """;

    public async Task<List<(string Key, float Score)>> NearestAsync(float[] query, int limit, IReadOnlySet<string>? within,
        IReadOnlySet<string>? except, CancellationToken cancellationToken)
    {
        if (limit <= 0 || within is { Count: 0 })
            return [];
        var leaveOut = except?.ToArray() ?? [];
        var asked = limit + leaveOut.Length;
        if (within is null && asked <= MaxEfSearch)
        {
            var found = await ApproximateAsync(query, asked, cancellationToken);
            var kept = found.Where(hit => except is null || !except.Contains(hit.Key)).Take(limit).ToList();
            if (kept.Count == limit)
                return kept;
        }
        return await ExactAsync(query, limit, leaveOut, within?.ToArray(), cancellationToken);
    }

    async Task<List<(string Key, float Score)>> ApproximateAsync(float[] query, int asked, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var tune = new NpgsqlCommand($"SET LOCAL hnsw.ef_search = {Math.Clamp(asked, MinEfSearch, MaxEfSearch)}", connection, transaction))
            await tune.ExecuteNonQueryAsync(cancellationToken);
        await using var command = new NpgsqlCommand(ApproximateSql(quotedSchema, dimensions), connection, transaction)
        {
            Parameters = { new() { Value = table }, new() { Value = model }, new() { Value = query }, new() { Value = asked } },
        };
        var found = await ReadHitsAsync(command, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return found;
    }

    async Task<List<(string Key, float Score)>> ExactAsync(float[] query, int limit, string[] leaveOut, string[]? keep, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(ExactSql(quotedSchema));
        command.Parameters.Add(new() { Value = table });
        command.Parameters.Add(new() { Value = model });
        command.Parameters.Add(new() { Value = query });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = leaveOut });
        command.Parameters.Add(new() { Value = (object?)keep ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        return await ReadHitsAsync(command, cancellationToken);
    }

    static async Task<List<(string Key, float Score)>> ReadHitsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hits = new List<(string, float)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(1))
                hits.Add((reader.GetString(0), (float)reader.GetDouble(1)));
        }
        return hits;
    }

    public async Task<Dictionary<string, float[]>> VectorsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (keys.Count == 0)
            return found;
        await using var command = source.CreateCommand(
            $"SELECT key, vector::real[] FROM {quotedSchema}.vectors WHERE tbl = $1 AND model = $2 AND key = ANY($3) AND vector IS NOT NULL");
        command.Parameters.Add(new() { Value = table });
        command.Parameters.Add(new() { Value = model });
        command.Parameters.Add(new() { Value = keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var vector = reader.GetFieldValue<float[]>(1);
            if (vector.Length == dimensions)
                found[reader.GetString(0)] = vector;
        }
        return found;
    }

    public async Task<(string[] Keys, float[] Matrix)> SnapshotAsync(CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(
            $"SELECT key, vector::real[] FROM {quotedSchema}.vectors WHERE tbl = $1 AND model = $2 AND vector IS NOT NULL ORDER BY version, key");
        command.Parameters.Add(new() { Value = table });
        command.Parameters.Add(new() { Value = model });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        var matrix = new List<float>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var vector = reader.GetFieldValue<float[]>(1);
            if (vector.Length != dimensions)
                continue;
            keys.Add(reader.GetString(0));
            matrix.AddRange(vector);
        }
        return ([.. keys], [.. matrix]);
    }

    public async Task<float[]> SumAsync(CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(
            $"SELECT sum(vector)::real[] FROM {quotedSchema}.vectors WHERE tbl = $1 AND model = $2 AND vector IS NOT NULL");
        command.Parameters.Add(new() { Value = table });
        command.Parameters.Add(new() { Value = model });
        return await command.ExecuteScalarAsync(cancellationToken) is float[] { Length: > 0 } sum && sum.Length == dimensions ? sum : new float[dimensions];
    }
}
