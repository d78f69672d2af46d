using Cloud.Unum.USearch;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// An HNSW graph (USearch) over one table's vectors, for tables too large to scan on every query.
/// It only proposes candidates: <see cref="TableVectors"/> scores them exactly from its own
/// matrix, so an answer's similarities are the same as exact search's. The graph keeps its copy
/// of the vectors in bfloat16 (half the bytes; good enough to choose candidates). Keys are the
/// row keys mapped to numbers that are never reused, so an update is a removal and a fresh add.
/// Not thread-safe for writes: <see cref="TableVectors"/> calls it under its lock.
/// </summary>
internal sealed class ApproximateIndex : IDisposable
{
    /// <summary>Graph links per node and the candidate lists while building and searching: recall@10 about 0.98 on near-duplicate MiniLM vectors.</summary>
    const ulong Connectivity = 16, ExpansionAdd = 128, ExpansionSearch = 128;

    readonly USearchIndex _graph;
    readonly Dictionary<string, ulong> _ids = new(StringComparer.Ordinal);
    readonly Dictionary<ulong, string> _keys = [];
    // The native search borrows one of a fixed number of per-thread contexts; never ask for more at once.
    readonly SemaphoreSlim _searchers = new(Environment.ProcessorCount, Environment.ProcessorCount);
    ulong _next;

    public ApproximateIndex(int dimensions, IReadOnlyList<string> keys, float[] matrix)
    {
        _graph = new USearchIndex(MetricKind.Cos, ScalarKind.BFloat16, (ulong)dimensions, Connectivity, ExpansionAdd, ExpansionSearch);
        Dimensions = dimensions;
        // In chunks: each Add reserves room once for its chunk, and only a chunk's vectors are copied at a time.
        for (var start = 0; start < keys.Count; start += BuildChunk)
        {
            var count = Math.Min(BuildChunk, keys.Count - start);
            var ids = new ulong[count];
            var vectors = new float[count][];
            for (var i = 0; i < count; i++)
            {
                ids[i] = Assign(keys[start + i]);
                vectors[i] = matrix.AsSpan((start + i) * dimensions, dimensions).ToArray();
            }
            _graph.Add(ids, vectors);
        }
    }

    const int BuildChunk = 4_096;

    public int Dimensions { get; }

    public int Count => _ids.Count;

    /// <summary>Nodes removed but still in the graph (USearch marks them); many of them call for a rebuild.</summary>
    public int Removed { get; private set; }

    /// <summary>Approximate native memory: bfloat16 vectors, two layers of links on average, the key maps.</summary>
    public long ResidentBytes => (long)(Count + Removed) * (Dimensions * 2 + (long)Connectivity * 2 * 4 + 64);

    public void Upsert(IReadOnlyList<(string Key, float[] Vector)> rows)
    {
        var ids = new ulong[rows.Count];
        var vectors = new float[rows.Count][];
        for (var i = 0; i < rows.Count; i++)
        {
            Remove(rows[i].Key);
            ids[i] = Assign(rows[i].Key);
            vectors[i] = rows[i].Vector;
        }
        if (ids.Length > 0)
            _graph.Add(ids, vectors);
    }

    public void Remove(string key)
    {
        if (!_ids.Remove(key, out var id))
            return;
        _keys.Remove(id);
        _graph.Remove(id);
        Removed++;
    }

    /// <summary>About <paramref name="count"/> keys nearest to <paramref name="query"/>, best first.</summary>
    public List<string> Candidates(float[] query, int count)
    {
        _searchers.Wait();
        try
        {
            var found = _graph.Search(query, count, out var ids, out _);
            var keys = new List<string>(found);
            for (var i = 0; i < found; i++)
            {
                if (_keys.TryGetValue(ids[i], out var key))
                    keys.Add(key);
            }
            return keys;
        }
        finally { _searchers.Release(); }
    }

    ulong Assign(string key)
    {
        var id = _next++;
        _ids[key] = id;
        _keys[id] = key;
        return id;
    }

    public void Dispose()
    {
        _graph.Dispose();
        _searchers.Dispose();
    }
}
