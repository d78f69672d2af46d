namespace Hatbox.Features.Ai.Index;

/// <summary>
/// Okapi BM25 (k1 = 1.2, b = 0.75, as FTS5's <c>bm25()</c>), for engines whose store keeps the
/// terms but does not rank by them: a term's weight falls with the number of rows that hold it,
/// so a SKU that one row has outweighs words that many rows share.
/// </summary>
internal static class Bm25
{
    const double K1 = 1.2;
    const double B = 0.75;

    /// <param name="matches">Each matching field: its row's key, how often each query term occurs in it, and its length in terms.</param>
    /// <param name="documents">Fields in the table.</param>
    /// <param name="averageLength">Their average length in terms.</param>
    /// <param name="limit">How many of the best rows to answer.</param>
    public static Dictionary<string, double> Score(
        IReadOnlyList<(string Key, Dictionary<string, int> Counts, int Length)> matches, long documents, double averageLength, int limit)
    {
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, counts, _) in matches)
        {
            foreach (var term in counts.Keys)
                frequency[term] = frequency.GetValueOrDefault(term) + 1;
        }
        var n = Math.Max(documents, matches.Count);
        var average = averageLength > 0 ? averageLength : 1;
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, counts, length) in matches)
        {
            var score = 0.0;
            foreach (var (term, count) in counts)
            {
                var df = frequency[term];
                var idf = Math.Log((n - df + 0.5) / (df + 0.5) + 1);
                score += idf * count * (K1 + 1) / (count + K1 * (1 - B + B * length / average));
            }
            if (score > 0)
                scores[key] = scores.GetValueOrDefault(key) + score;
        }
        return scores.OrderByDescending(s => s.Value).Take(limit).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
    }
}
