using System.Numerics.Tensors;

namespace Hatbox.Features.Ai.Analysis;

/// <summary>
/// Maximal marginal relevance (Carbonell and Goldstein, 1998): each pick is the candidate most
/// relevant to the source minus its similarity to what was already picked, so results spread out.
/// </summary>
internal static class MaximalMarginalRelevance
{
    public static List<(int Index, double Relevance)> Select(
        IReadOnlyList<(float[] Vector, double Relevance)> candidates, int limit, double lambda = 0.5)
    {
        var picked = new List<(int, double)>();
        var remaining = Enumerable.Range(0, candidates.Count).ToList();
        while (picked.Count < limit && remaining.Count > 0)
        {
            var best = -1;
            var bestScore = double.MinValue;
            foreach (var i in remaining)
            {
                var redundancy = picked.Count == 0 ? 0
                    : picked.Max(p => TensorPrimitives.Dot(candidates[i].Vector, candidates[p.Item1].Vector));
                var score = lambda * candidates[i].Relevance - (1 - lambda) * redundancy;
                if (score > bestScore)
                {
                    bestScore = score;
                    best = i;
                }
            }
            picked.Add((best, candidates[best].Relevance));
            remaining.Remove(best);
        }
        return picked;
    }
}
