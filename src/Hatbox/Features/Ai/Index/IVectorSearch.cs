namespace Hatbox.Features.Ai.Index;

/// <summary>
/// Where one table's nearest-neighbour questions are answered: the node's memory
/// (<see cref="InProcessVectorSearch"/>, every engine without pgvector) or the store itself
/// (<see cref="Postgres.PgvectorSearch"/>, an HNSW index in PostgreSQL). Scores are inner
/// products of unit vectors (cosine), higher is better, the same on both.
/// </summary>
internal interface IVectorSearch
{
    /// <summary>True when the vectors stay in the store: the node keeps only keys and hashes.</summary>
    bool InStore { get; }

    /// <summary>
    /// The <paramref name="limit"/> rows most similar to <paramref name="query"/>, best first; only
    /// keys in <paramref name="within"/> when given, never keys in <paramref name="except"/>.
    /// </summary>
    Task<List<(string Key, float Score)>> NearestAsync(float[] query, int limit, IReadOnlySet<string>? within, IReadOnlySet<string>? except,
        CancellationToken cancellationToken);

    /// <summary>The stored vectors of those keys that have one.</summary>
    Task<Dictionary<string, float[]>> VectorsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Every key and vector (row-major), for the analyses that look at all rows at once.</summary>
    Task<(string[] Keys, float[] Matrix)> SnapshotAsync(CancellationToken cancellationToken);

    /// <summary>The sum of every vector (not normalised; zeros for an empty table).</summary>
    Task<float[]> SumAsync(CancellationToken cancellationToken);
}

/// <summary>A store that can search its own vectors (PostgreSQL with pgvector).</summary>
internal interface IStoreVectorSearch
{
    /// <summary>The table's search in the store, made ready (its index built), or null to search in process.</summary>
    Task<IVectorSearch?> VectorSearchAsync(string table, string model, int dimensions, CancellationToken cancellationToken);

    /// <summary><see cref="IIndexStore.LoadAsync"/> without the vectors: keys, hashes, models, deletions.</summary>
    Task<StoredRows> LoadKeysAsync(string table, long sinceVersion, CancellationToken cancellationToken);
}
