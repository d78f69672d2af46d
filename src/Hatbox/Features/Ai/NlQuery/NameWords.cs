using System.Text;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary>The words a question may use for a name of the schema or a stored value.</summary>
internal static class NameWords
{
    /// <summary><c>unit_price</c> and <c>unitPrice</c> are "unit price"; <c>customer_id</c> is also "customer"; the name itself always counts.</summary>
    public static IEnumerable<string[]> OfName(string name)
    {
        var lower = name.ToLowerInvariant();
        yield return [lower];
        var words = Split(name);
        if (words.Length > 1)
        {
            yield return words;
            if (words[^1] == "id")
            {
                yield return words[..^1];
            }
        }
    }

    public static string[] OfValue(string value) => Split(value);

    static string[] Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var boundary = !char.IsLetterOrDigit(c) || (char.IsUpper(c) && i > 0 && char.IsLower(text[i - 1]));
            if (boundary && word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return [.. words];
    }
}
