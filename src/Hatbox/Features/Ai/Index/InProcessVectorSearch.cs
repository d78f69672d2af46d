using System.Numerics.Tensors;

namespace Hatbox.Features.Ai.Index;

/// <summary>Search over the table's vectors in this node's memory (<see cref="TableVectors"/>).</summary>
internal sealed class InProcessVectorSearch(TableVectors vectors) : IVectorSearch
{
    public bool InStore => false;

    public Task<List<(string Key, float Score)>> NearestAsync(float[] query, int limit, IReadOnlySet<string>? within, IReadOnlySet<string>? except,
        CancellationToken cancellationToken)
    {
        Func<string, bool>? allow = (within, except) switch
        {
            (null, null) => null,
            (not null, null) => within.Contains,
            (null, not null) => key => !except.Contains(key),
            _ => key => within.Contains(key) && !except.Contains(key),
        };
        return Task.FromResult(vectors.Nearest(query, limit, allow));
    }

    public Task<Dictionary<string, float[]>> VectorsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (vectors.Get(key) is { } vector)
                found[key] = vector;
        }
        return Task.FromResult(found);
    }

    public Task<(string[] Keys, float[] Matrix)> SnapshotAsync(CancellationToken cancellationToken) => Task.FromResult(vectors.Snapshot());

    public Task<float[]> SumAsync(CancellationToken cancellationToken)
    {
        var (keys, matrix) = vectors.Snapshot();
        var sum = new float[vectors.Dimensions];
        for (var i = 0; i < keys.Length; i++)
            TensorPrimitives.Add(sum, matrix.AsSpan(i * sum.Length, sum.Length), sum);
        return Task.FromResult(sum);
    }
}
