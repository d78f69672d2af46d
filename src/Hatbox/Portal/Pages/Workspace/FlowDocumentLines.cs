using System.Text;
using System.Text.Json;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// Maps JSON paths (<c>/steps/1/with/code</c>) to the line of the document as typed where that value
/// (or its property name) starts, so the editor can say where a fault is, not only what it is.
/// </summary>
internal static class FlowDocumentLines
{
    public static Dictionary<string, int> Of(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        // Per open container: the path of the value being read inside it (a property name or the next index).
        var path = new List<string>();
        var nextIndex = new Stack<int?>();
        var line = 1;
        var counted = 0;
        int LineAt(long offset)
        {
            for (; counted < offset && counted < bytes.Length; counted++)
            {
                if (bytes[counted] == (byte)'\n')
                {
                    line++;
                }
            }
            return line;
        }
        string Pointer() => path.Count == 0 ? "/" : "/" + string.Join('/', path);
        try
        {
            while (reader.Read())
            {
                var at = LineAt(reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        path.Add(reader.GetString()!.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
                        lines.TryAdd(Pointer(), at);
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        nextIndex.Pop();
                        if (path.Count > 0 && nextIndex.Count > 0)
                        {
                            path.RemoveAt(path.Count - 1);
                        }
                        continue;
                }
                // A value: inside an array it takes the next index.
                if (nextIndex.Count > 0 && nextIndex.Peek() is { } index)
                {
                    nextIndex.Pop();
                    nextIndex.Push(index + 1);
                    path.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                lines.TryAdd(Pointer(), at);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    nextIndex.Push(reader.TokenType == JsonTokenType.StartArray ? 0 : null);
                }
                else if (path.Count > 0 && nextIndex.Count > 0)
                {
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the editor reports the parse error's own line instead.
        }
        return lines;
    }

    /// <summary>The line of <paramref name="pointer"/>, or of the nearest enclosing value that has one.</summary>
    public static int? Find(Dictionary<string, int> lines, string pointer)
    {
        for (var candidate = pointer; candidate.Length > 0; candidate = candidate[..Math.Max(candidate.LastIndexOf('/'), 0)])
        {
            if (lines.TryGetValue(candidate, out var line))
            {
                return line;
            }
        }
        return lines.TryGetValue("/", out var root) ? root : null;
    }
}
