using System.Numerics.Tensors;

namespace Hatbox.Features.Ai.Analysis;

/// <summary>
/// k-means on unit vectors with k-means++ seeding (Arthur and Vassilvitskii, 2007), squared
/// Euclidean distance. Seeded, so the same rows give the same clusters every time.
/// </summary>
internal static class KMeans
{
    public sealed record Result(int K, int[] Assignments, float[][] Centroids, int Iterations);

    public static Result Run(float[] matrix, int dimensions, int k, int maxIterations = 100, int seed = 42)
    {
        var n = matrix.Length / dimensions;
        var random = new Random(seed);
        var centroids = Seed(matrix, dimensions, n, k, random);
        var assignments = new int[n];
        Array.Fill(assignments, -1);
        var iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            var moved = 0;
            for (var i = 0; i < n; i++)
            {
                var nearest = Nearest(Row(matrix, dimensions, i), centroids, out _);
                if (nearest != assignments[i])
                {
                    assignments[i] = nearest;
                    moved++;
                }
            }
            if (moved == 0 && iterations > 0)
                break;
            Recompute(matrix, dimensions, assignments, centroids, random);
        }
        return new Result(k, assignments, centroids, Math.Max(1, iterations));
    }

    static float[][] Seed(float[] matrix, int dimensions, int n, int k, Random random)
    {
        var centroids = new List<float[]> { Row(matrix, dimensions, random.Next(n)).ToArray() };
        var distances = new double[n];
        while (centroids.Count < k)
        {
            double total = 0;
            for (var i = 0; i < n; i++)
            {
                Nearest(Row(matrix, dimensions, i), [.. centroids], out var d);
                distances[i] = d;
                total += d;
            }
            var pick = random.NextDouble() * total;
            var chosen = n - 1;
            for (var i = 0; i < n; i++)
            {
                pick -= distances[i];
                if (pick <= 0)
                {
                    chosen = i;
                    break;
                }
            }
            centroids.Add(Row(matrix, dimensions, chosen).ToArray());
        }
        return [.. centroids];
    }

    static void Recompute(float[] matrix, int dimensions, int[] assignments, float[][] centroids, Random random)
    {
        var counts = new int[centroids.Length];
        foreach (var centroid in centroids)
            Array.Clear(centroid);
        for (var i = 0; i < assignments.Length; i++)
        {
            TensorPrimitives.Add(centroids[assignments[i]], Row(matrix, dimensions, i), centroids[assignments[i]]);
            counts[assignments[i]]++;
        }
        for (var c = 0; c < centroids.Length; c++)
        {
            if (counts[c] == 0)
                Row(matrix, dimensions, random.Next(assignments.Length)).CopyTo(centroids[c]); // an empty cluster restarts somewhere
            else
                TensorPrimitives.Divide(centroids[c], counts[c], centroids[c]);
        }
    }

    public static int Nearest(ReadOnlySpan<float> point, float[][] centroids, out double squaredDistance)
    {
        var best = 0;
        squaredDistance = double.MaxValue;
        for (var c = 0; c < centroids.Length; c++)
        {
            var distance = SquaredDistance(point, centroids[c]);
            if (distance < squaredDistance)
            {
                squaredDistance = distance;
                best = c;
            }
        }
        return best;
    }

    static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var d = TensorPrimitives.Distance(a, b);
        return (double)d * d;
    }

    public static ReadOnlySpan<float> Row(float[] matrix, int dimensions, int i) => matrix.AsSpan(i * dimensions, dimensions);
}
