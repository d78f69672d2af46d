using System.Text;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// Words as keyword search sees them, the same for the query and the stored text: runs of letters
/// or digits (so a SKU like <c>HB-4471</c> is <c>hb</c> and <c>4471</c>), lower-cased, as FTS5's
/// default tokenizer splits them. Nothing of a caller's text is ever keyword syntax.
/// </summary>
internal static class KeywordTerms
{
    /// <summary>The query's distinct terms, at most 64 of them, as typed (engines fold case themselves).</summary>
    public static List<string> OfQuery(string query) =>
        [.. Split(query).Distinct(StringComparer.OrdinalIgnoreCase).Take(64)];

    public static IEnumerable<string> Split(string text)
    {
        var current = new StringBuilder();
        foreach (var c in text.Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }
        }
    }

    /// <summary>The terms as an FTS5 expression: each quoted and joined with OR; BM25 then favours rare tokens like a SKU.</summary>
    public static string? Fts5Expression(IReadOnlyList<string> terms) =>
        terms.Count == 0 ? null : string.Join(" OR ", terms.Select(t => "\"" + t + "\""));
}
