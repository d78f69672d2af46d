using System.Globalization;

namespace Hatbox.Common.Binding;

/// <summary>
/// Splits a form key like <c>data[items][0][name]</c> into segments, as Stripe and qs read it,
/// but refuses what they would guess at: stray brackets, an empty name, text after a <c>]</c>.
/// </summary>
internal static class FormKeyPath
{
    private const string Unbalanced =
        "A field name is a name followed by [] pairs, such as data[name] or items[0][id].";

    /// <returns>Null when the key is valid; otherwise why it is not.</returns>
    public static string? Parse(string key, BodyLimits limits, List<FormKeySegment> segments)
    {
        segments.Clear();
        var open = key.AsSpan().IndexOfAny('[', ']');
        var name = open < 0 ? key : key[..open];
        if (name.Length == 0)
        {
            return "A field name must not be empty or start with a bracket.";
        }

        segments.Add(FormKeySegment.Property(name));
        var rest = key.AsSpan(name.Length);
        while (!rest.IsEmpty)
        {
            var close = rest[0] == '[' ? rest[1..].IndexOfAny('[', ']') + 1 : 0;
            if (close == 0 || rest[close] != ']')
            {
                return Unbalanced;
            }

            // The root object is one level, so a key may add MaxDepth - 1 more, as deep as JSON may go.
            if (segments.Count >= limits.MaxDepth)
            {
                return $"Fields may nest at most {limits.MaxDepth} levels deep, counting the body itself.";
            }

            if (!TryClassify(rest[1..close], limits.MaxArrayIndex, out var segment))
            {
                return $"An array index may be at most {limits.MaxArrayIndex}.";
            }

            segments.Add(segment);
            rest = rest[(close + 1)..];
        }

        return null;
    }

    private static bool TryClassify(ReadOnlySpan<char> inner, int maxIndex, out FormKeySegment segment)
    {
        if (inner.IsEmpty || !IsIndex(inner))
        {
            segment = inner.IsEmpty ? FormKeySegment.Appended : FormKeySegment.Property(inner.ToString());
            return true;
        }

        // Parsing fails only on overflow here, which is past any index limit as well.
        var parsed = int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index);
        segment = FormKeySegment.At(index);
        return parsed && index <= maxIndex;
    }

    // "01" stays a name, as in qs: only the canonical spelling of a number is an index.
    private static bool IsIndex(ReadOnlySpan<char> inner) =>
        !inner.ContainsAnyExceptInRange('0', '9') && (inner.Length == 1 || inner[0] != '0');
}
