using System.Numerics.Tensors;

namespace Hatbox.Features.Ai.Analysis;

/// <summary>
/// The mean silhouette coefficient (Rousseeuw, 1987) with cosine distance: near 1 when each row
/// is much closer to its own cluster than to the next. Quadratic in rows, so it is computed on
/// an evenly spread sample of at most <see cref="MaxSample"/> rows.
/// </summary>
internal static class Silhouette
{
    public const int MaxSample = 1_000;

    public static double Score(float[] matrix, int dimensions, int[] assignments, int k)
    {
        var n = assignments.Length;
        var step = Math.Max(1, n / MaxSample);
        var sample = Enumerable.Range(0, n).Where(i => i % step == 0).Take(MaxSample).ToArray();
        double total = 0;
        foreach (var i in sample)
        {
            var sums = new double[k];
            var counts = new int[k];
            foreach (var j in sample)
            {
                if (i == j)
                    continue;
                sums[assignments[j]] += 1 - TensorPrimitives.Dot(KMeans.Row(matrix, dimensions, i), KMeans.Row(matrix, dimensions, j));
                counts[assignments[j]]++;
            }
            var own = assignments[i];
            if (counts[own] == 0)
                continue; // a cluster of one scores 0
            var a = sums[own] / counts[own];
            var b = double.MaxValue;
            for (var c = 0; c < k; c++)
            {
                if (c != own && counts[c] > 0)
                    b = Math.Min(b, sums[c] / counts[c]);
            }
            if (b == double.MaxValue)
                continue;
            var max = Math.Max(a, b);
            total += max > 0 ? (b - a) / max : 0;
        }
        return sample.Length == 0 ? 0 : total / sample.Length;
    }
}
