namespace Hatbox.Features.Ai.Analysis;

/// <summary>
/// Names a cluster by its most distinctive words: frequent in the cluster, rare elsewhere
/// (share of the cluster's rows with the word minus the share of other rows), skipping column
/// names and common English words. Works offline; a chat model, when configured, does better.
/// </summary>
internal static class ClusterLabels
{
    static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "and", "or", "of", "to", "in", "for", "with", "on", "at", "by", "from", "is", "are", "was",
        "be", "it", "this", "that", "as", "your", "you", "our", "we", "its", "into", "up", "out", "not", "no", "all",
        "any", "can", "will", "has", "have", "more", "most", "very", "per", "than", "but", "so", "if", "my", "their",
    };

    public static string[] Label(IReadOnlyList<string> texts, int[] assignments, int k, IReadOnlyCollection<string> columnNames, int words = 3)
    {
        var ignored = new HashSet<string>(columnNames.Select(c => c.ToLowerInvariant()), StringComparer.Ordinal);
        var documentWords = texts.Select(t => Words(t).Where(w => !ignored.Contains(w)).ToHashSet(StringComparer.Ordinal)).ToArray();
        var sizes = new int[k];
        foreach (var a in assignments)
            sizes[a]++;
        var inCluster = Enumerable.Range(0, k).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var overall = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < documentWords.Length; i++)
        {
            foreach (var word in documentWords[i])
            {
                inCluster[assignments[i]][word] = inCluster[assignments[i]].GetValueOrDefault(word) + 1;
                overall[word] = overall.GetValueOrDefault(word) + 1;
            }
        }
        var labels = new string[k];
        for (var c = 0; c < k; c++)
        {
            var others = Math.Max(1, texts.Count - sizes[c]);
            var cluster = c;
            var best = inCluster[c]
                .Select(pair => (Word: pair.Key, Score: (double)pair.Value / Math.Max(1, sizes[cluster]) - (double)(overall[pair.Key] - pair.Value) / others))
                .OrderByDescending(p => p.Score).ThenBy(p => p.Word, StringComparer.Ordinal)
                .Take(words).Select(p => p.Word).ToArray();
            labels[c] = best.Length == 0 ? $"Cluster {c + 1}" : string.Join(", ", best);
        }
        return labels;
    }

    static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsLetter(text[i]);
            if (letter && start < 0)
                start = i;
            else if (!letter && start >= 0)
            {
                var word = text[start..i].ToLowerInvariant();
                if (word.Length > 2 && !StopWords.Contains(word))
                    yield return word;
                start = -1;
            }
        }
    }
}
