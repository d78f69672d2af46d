using System.Text;
using System.Text.Json.Nodes;
using Hatbox.Common.Errors;

namespace Hatbox.Common.Binding;

/// <summary>
/// Builds one JSON object from form fields in arrival order. qs and most frameworks merge
/// duplicates and clashes silently (last wins, or a string becomes an array); here each is a 400
/// naming the key, because the client's intent is unknowable.
/// </summary>
internal sealed class FormTreeBuilder(BodyLimits limits, string errorCode)
{
    private const string Clash =
        "This field clashes with another: one name cannot hold both a value and nested fields, " +
        "and one list cannot mix [] with numbered indices.";

    private readonly FormNode _root = FormNode.Container(FormSegmentKind.Property);
    private readonly List<FormKeySegment> _segments = [];
    private int _fields;

    public ApiError? Add(string key, string value)
    {
        if (++_fields > limits.MaxFields)
        {
            return Reject(key, $"A body may have at most {limits.MaxFields} fields.");
        }

        if (Encoding.UTF8.GetByteCount(key) > limits.MaxKeyLength)
        {
            return Reject(key, $"A field name may be at most {limits.MaxKeyLength} bytes long.");
        }

        if (FormKeyPath.Parse(key, limits, _segments) is { } problem)
        {
            return Reject(key, problem);
        }

        var node = _root;
        for (var i = 0; i < _segments.Count - 1; i++)
        {
            var child = node.GetOrAddContainer(_segments[i], _segments[i + 1].Kind);
            if (child is null)
            {
                return Reject(key, Clash);
            }

            node = child;
        }

        return node.AddLeaf(_segments[^1], value) switch
        {
            null => null,
            { IsLeaf: true } => Reject(key, "This field is given more than once; send each field once, or use [] for a list."),
            _ => Reject(key, Clash),
        };
    }

    public JsonObject Build() => (JsonObject)_root.ToJson();

    /// <summary>A 400 naming the key, cut to the key limit so a huge key is not echoed back.</summary>
    public ApiError Reject(string key, string message) =>
        ApiError.BadRequest(errorCode, message,
            key.Length == 0 ? null : key[..Math.Min(key.Length, limits.MaxKeyLength)]);
}
