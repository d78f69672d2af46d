namespace Hatbox.Features.Ai.NlQuery;

/// <summary>
/// A deliberately crude English stemmer: enough that "prices", "priced" and "price", or
/// "categories" and "category", meet on one stem. Both sides of every comparison go through it,
/// so it only has to be consistent, not linguistically right.
/// </summary>
internal static class EnglishStem
{
    public static string Of(string word)
    {
        var w = word.ToLowerInvariant();
        if (w.Length <= 3)
        {
            return w;
        }
        if (w.EndsWith("ies", StringComparison.Ordinal))
        {
            w = w[..^3] + "y";
        }
        else if (w.EndsWith("sses", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal)
            || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal))
        {
            w = w[..^2];
        }
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal))
        {
            w = w[..^1];
        }
        else if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length > 5)
        {
            w = w[..^3];
        }
        else if (w.EndsWith("ed", StringComparison.Ordinal) && w.Length > 4)
        {
            w = w[..^2];
        }
        if (w.Length > 3 && w.EndsWith('e'))
        {
            w = w[..^1];
        }
        if (w.Length > 3 && w.EndsWith('y'))
        {
            w = w[..^1] + "i";
        }
        return w;
    }
}
