using System.Globalization;
using System.Text;

namespace Hatbox.Features.Ai.NlQuery;

internal enum TokenKind
{
    Word,
    Number,
    /// <summary>Text in quotes: a value the asker spelled out.</summary>
    Quoted,
    /// <summary><c>&gt;</c>, <c>&lt;</c>, <c>&gt;=</c>, <c>&lt;=</c>, <c>=</c>.</summary>
    Symbol,
}

/// <summary>One token of a question; <see cref="Stem"/> is empty for anything but words.</summary>
internal sealed record QuestionToken(TokenKind Kind, string Text, string Stem, double Number = 0);

/// <summary>Splits a question into words, numbers, quoted text and comparison symbols; everything else is a separator.</summary>
internal static class QuestionTokens
{
    static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["one"] = 1,
        ["two"] = 2,
        ["three"] = 3,
        ["four"] = 4,
        ["five"] = 5,
        ["six"] = 6,
        ["seven"] = 7,
        ["eight"] = 8,
        ["nine"] = 9,
        ["ten"] = 10,
        ["eleven"] = 11,
        ["twelve"] = 12,
        ["fifteen"] = 15,
        ["twenty"] = 20,
        ["fifty"] = 50,
        ["hundred"] = 100,
    };

    public static List<QuestionToken> Split(string question)
    {
        var tokens = new List<QuestionToken>();
        var text = question.Replace('’', '\'').Replace('“', '"').Replace('”', '"');
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' || (c is '\'' && (i == 0 || !char.IsLetterOrDigit(text[i - 1]))))
            {
                var end = text.IndexOf(c, i + 1);
                if (end > i)
                {
                    tokens.Add(new QuestionToken(TokenKind.Quoted, text[(i + 1)..end], ""));
                    i = end + 1;
                    continue;
                }
            }
            if (c is '>' or '<' or '=' || (c == '!' && i + 1 < text.Length && text[i + 1] == '='))
            {
                var symbol = i + 1 < text.Length && text[i + 1] == '=' ? text.Substring(i, 2) : c.ToString();
                tokens.Add(new QuestionToken(TokenKind.Symbol, symbol, ""));
                i += symbol.Length;
                continue;
            }
            if (char.IsDigit(c) || (c is '-' or '.' && i + 1 < text.Length && char.IsDigit(text[i + 1]) && (i == 0 || !char.IsLetterOrDigit(text[i - 1]))))
            {
                var start = i;
                i++;
                while (i < text.Length && (char.IsDigit(text[i]) || (text[i] is '.' or ',' && i + 1 < text.Length && char.IsDigit(text[i + 1]))))
                {
                    i++;
                }
                var digits = text[start..i].Replace(",", "", StringComparison.Ordinal);
                if (double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    tokens.Add(new QuestionToken(TokenKind.Number, digits, "", number));
                }
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var word = new StringBuilder();
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '\''))
                {
                    word.Append(text[i]);
                    i++;
                }
                AddWord(tokens, word.ToString().Trim('\'').ToLowerInvariant());
                continue;
            }
            i++;
        }
        return tokens;
    }

    static void AddWord(List<QuestionToken> tokens, string word)
    {
        // "what's" is "what is"; a possessive "product's" is "product".
        if (word.EndsWith("'s", StringComparison.Ordinal))
        {
            var stem = word[..^2];
            AddWord(tokens, stem);
            if (stem is "what" or "who" or "that" or "there" or "it")
            {
                tokens.Add(new QuestionToken(TokenKind.Word, "is", "is"));
            }
            return;
        }
        word = word.Replace("'", "", StringComparison.Ordinal);
        if (word.Length == 0)
        {
            return;
        }
        if (NumberWords.TryGetValue(word, out var number))
        {
            tokens.Add(new QuestionToken(TokenKind.Number, word, "", number));
            return;
        }
        tokens.Add(new QuestionToken(TokenKind.Word, word, EnglishStem.Of(word)));
    }
}
