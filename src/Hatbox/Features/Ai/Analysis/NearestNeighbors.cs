using System.Numerics.Tensors;

namespace Hatbox.Features.Ai.Analysis;

/// <summary>
/// kNN outlier scores (Ramaswamy et al., 2000, with the mean instead of the k-th distance): a
/// row far from its k nearest neighbours is unusual. Scores are the mean cosine distance scaled
/// to 0–1 over the table (min–max), so the most isolated row scores 1.
/// </summary>
internal static class NearestNeighbors
{
    public sealed record Outlier(int Index, double Score, double AverageDistance, (int Index, double Distance)[] Neighbors);

    public static List<Outlier> Score(float[] matrix, int dimensions, int k)
    {
        var n = matrix.Length / dimensions;
        k = Math.Min(k, n - 1);
        var neighbors = new (int, double)[n][];
        var averages = new double[n];
        var distances = new float[n];
        for (var i = 0; i < n; i++)
        {
            var row = KMeans.Row(matrix, dimensions, i);
            for (var j = 0; j < n; j++)
                distances[j] = j == i ? float.MaxValue : 1 - TensorPrimitives.Dot(row, KMeans.Row(matrix, dimensions, j));
            var nearest = new PriorityQueue<int, float>(k + 1, Comparer<float>.Create((a, b) => b.CompareTo(a)));
            for (var j = 0; j < n; j++)
            {
                if (j == i)
                    continue;
                nearest.Enqueue(j, distances[j]);
                if (nearest.Count > k)
                    nearest.Dequeue();
            }
            var found = new List<(int, double)>(k);
            while (nearest.Count > 0)
            {
                var j = nearest.Dequeue();
                found.Add((j, distances[j]));
            }
            found.Reverse();
            neighbors[i] = [.. found];
            averages[i] = found.Count == 0 ? 0 : found.Average(f => f.Item2);
        }
        var min = averages.DefaultIfEmpty(0).Min();
        var max = averages.DefaultIfEmpty(0).Max();
        var range = max - min;
        return [.. Enumerable.Range(0, n).Select(i => new Outlier(i, range > 0 ? (averages[i] - min) / range : 0, averages[i], neighbors[i]))];
    }
}
