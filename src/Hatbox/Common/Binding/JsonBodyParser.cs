using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Hatbox.Common.Errors;

namespace Hatbox.Common.Binding;

/// <summary>Parses a JSON body that must be one object, with no property given twice.</summary>
internal static class JsonBodyParser
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static BodyReadResult Parse(ReadOnlyMemory<byte> json, BodyLimits limits)
    {
        // Stream-based readers in .NET skip a BOM, so clients that send one expect it to work.
        if (json.Span.StartsWith(Utf8Bom))
        {
            json = json[Utf8Bom.Length..];
        }

        if (json.IsEmpty)
        {
            return BodyReadResult.Empty();
        }

        // Checked up front: the parser leaves bad UTF-8 inside strings for a later, throwing read.
        if (!Utf8.IsValid(json.Span))
        {
            return Invalid("The body is not valid UTF-8.");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Invalid($"The body is not valid JSON, or nests deeper than {limits.MaxDepth} levels.");
        }

        return root.ValueKind switch
        {
            JsonValueKind.Array => BodyReadResult.Fail(ApiError.BadRequest(ErrorCodes.BulkNotSupported,
                "Send one JSON object per request, not an array.")),
            not JsonValueKind.Object => Invalid("The body must be a JSON object."),
            _ => TryConvert(root, out var body, out var duplicate)
                ? BodyReadResult.Ok((JsonObject)body!)
                : Invalid("A property appears more than once in the same object.", duplicate),
        };
    }

    private static BodyReadResult Invalid(string message, string? param = null) =>
        BodyReadResult.Fail(ApiError.BadRequest(ErrorCodes.InvalidJson, message, param));

    // JsonNode.Parse would keep one of two duplicate properties (or throw later, on first
    // access); walking the document finds them while building the nodes.
    private static bool TryConvert(JsonElement element, out JsonNode? node, out string? duplicate)
    {
        duplicate = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                node = obj;
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name;
                    if (obj.ContainsKey(name))
                    {
                        duplicate = name;
                        return false;
                    }

                    if (!TryConvert(property.Value, out var value, out duplicate))
                    {
                        return false;
                    }

                    obj.Add(name, value);
                }

                return true;
            case JsonValueKind.Array:
                var array = new JsonArray();
                node = array;
                foreach (var item in element.EnumerateArray())
                {
                    if (!TryConvert(item, out var value, out duplicate))
                    {
                        return false;
                    }

                    array.Add(value);
                }

                return true;
            default:
                // Backed by the cloned element, so numbers keep their exact text.
                node = JsonValue.Create(element);
                return true;
        }
    }
}
