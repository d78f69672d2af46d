using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary>
/// Links words that match no name exactly ("cost", "items") to the table or column name they mean
/// (<c>price</c>, <c>products</c>) by the embedding model's cosine similarity, when one is registered
/// (Features/Ai/Embeddings). Without one, no word has a synonym and the engine says so.
/// Embeddings of names and words are kept, as both repeat from question to question.
/// </summary>
internal sealed class SynonymLinker(IServiceProvider services, IOptions<NlQueryOptions> options)
{
    const int MaxCached = 20_000;

    readonly IEmbeddingGenerator<string, Embedding<float>>? _generator = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>();
    readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    public bool Available => _generator is not null;

    /// <summary>word → schema name, for each word whose best name clears the threshold.</summary>
    public async Task<IReadOnlyDictionary<string, string>> FindAsync(
        IReadOnlyCollection<string> words, NlSchema schema, CancellationToken cancellationToken)
    {
        if (_generator is null || words.Count == 0)
        {
            return new Dictionary<string, string>();
        }
        var names = schema.Tables.Select(t => t.Name).Concat(schema.Tables.SelectMany(t => t.Columns.Select(c => c.Name)))
            .Distinct(StringComparer.Ordinal).ToList();
        var phrases = names.ToDictionary(n => n, n => string.Join(' ', NameWords.OfName(n).Last()), StringComparer.Ordinal);
        var missing = words.Concat(phrases.Values).Distinct(StringComparer.Ordinal).Where(t => !_vectors.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            var embedded = await _generator.GenerateAsync(missing, cancellationToken: cancellationToken);
            if (_vectors.Count > MaxCached)
            {
                _vectors.Clear();
            }
            for (var i = 0; i < missing.Count && i < embedded.Count; i++)
            {
                _vectors[missing[i]] = embedded[i].Vector.ToArray();
            }
        }
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            if (!_vectors.TryGetValue(word, out var vector))
            {
                continue;
            }
            var best = (Name: (string?)null, Score: double.MinValue);
            foreach (var name in names)
            {
                if (_vectors.TryGetValue(phrases[name], out var other) && Cosine(vector, other) is var score && score > best.Score)
                {
                    best = (name, score);
                }
            }
            if (best.Name is not null && best.Score >= options.Value.SynonymThreshold)
            {
                found[word] = best.Name;
            }
        }
        return found;
    }

    static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
