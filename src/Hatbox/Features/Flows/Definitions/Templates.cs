namespace Hatbox.Features.Flows.Definitions;

/// <summary>
/// <c>${{ expression }}</c> inside a string value (DESIGN.md §10). An expression ends at the first
/// <c>}}</c>, so an object literal inside one needs a space between its closing braces.
/// </summary>
internal static class Templates
{
    const string Open = "${{";
    const string Close = "}}";

    public static bool HasExpression(string text) => text.Contains(Open, StringComparison.Ordinal);

    /// <summary>The string's parts in order: literal text (<c>IsExpression</c> false) and expressions, trimmed.</summary>
    public static List<(bool IsExpression, string Text)> Split(string text, out string? unclosed)
    {
        var parts = new List<(bool, string)>();
        unclosed = null;
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf(Open, at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add((false, text[at..]));
                break;
            }
            if (open > at)
            {
                parts.Add((false, text[at..open]));
            }
            var close = text.IndexOf(Close, open + Open.Length, StringComparison.Ordinal);
            if (close < 0)
            {
                unclosed = text[open..];
                break;
            }
            parts.Add((true, text[(open + Open.Length)..close].Trim()));
            at = close + Close.Length;
        }
        return parts;
    }

    /// <summary>The expression when <paramref name="text"/> is exactly one <c>${{ … }}</c>, so its value keeps its JSON type.</summary>
    public static string? WholeExpression(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (!trimmed.StartsWith(Open, StringComparison.Ordinal) || !trimmed.EndsWith(Close, StringComparison.Ordinal))
        {
            return null;
        }
        var inner = trimmed[Open.Length..^Close.Length];
        return inner.Contains(Close, StringComparison.Ordinal) || inner.Contains(Open, StringComparison.Ordinal) ? null : inner.Trim().ToString();
    }
}
