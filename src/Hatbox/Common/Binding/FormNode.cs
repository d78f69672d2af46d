using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Hatbox.Common.Binding;

/// <summary>
/// A node of a form body while it is built: a string leaf, or a container whose children are all
/// addressed one way (by name, by index or by appending). Index arrays become JSON only at the
/// end, because sparse indices are ordered and compacted then, as qs does.
/// </summary>
internal sealed class FormNode
{
    private readonly string? _value;
    private readonly OrderedDictionary<string, FormNode>? _properties;
    private readonly Dictionary<int, FormNode>? _indexed;
    private readonly List<FormNode>? _appended;

    private FormNode(string value) => _value = value;

    private FormNode(FormSegmentKind childKind)
    {
        ChildKind = childKind;
        _properties = childKind == FormSegmentKind.Property ? [] : null;
        _indexed = childKind == FormSegmentKind.Index ? [] : null;
        _appended = childKind == FormSegmentKind.Append ? [] : null;
    }

    /// <summary>How this container's children are addressed; null for a leaf.</summary>
    public FormSegmentKind? ChildKind { get; }

    public bool IsLeaf => ChildKind is null;

    public static FormNode Container(FormSegmentKind childKind) => new(childKind);

    /// <summary>
    /// The container at <paramref name="segment"/>, added if missing. Null when a leaf or a
    /// container addressed another way is already there.
    /// </summary>
    public FormNode? GetOrAddContainer(FormKeySegment segment, FormSegmentKind childKind)
    {
        if (segment.Kind != FormSegmentKind.Append && Find(segment) is { } existing)
        {
            return existing.ChildKind == childKind ? existing : null;
        }

        var created = new FormNode(childKind);
        Insert(segment, created);
        return created;
    }

    /// <summary>Adds a leaf. Returns the node already at that place, or null when it was free.</summary>
    public FormNode? AddLeaf(FormKeySegment segment, string value)
    {
        if (segment.Kind != FormSegmentKind.Append && Find(segment) is { } existing)
        {
            return existing;
        }

        Insert(segment, new FormNode(value));
        return null;
    }

    public JsonNode ToJson() => ChildKind switch
    {
        null => JsonValue.Create(_value!),
        FormSegmentKind.Property => new JsonObject(_properties!.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.ToJson()))),
        FormSegmentKind.Index => new JsonArray([.. _indexed!.OrderBy(p => p.Key).Select(p => p.Value.ToJson())]),
        FormSegmentKind.Append => new JsonArray([.. _appended!.Select(n => n.ToJson())]),
        _ => throw new UnreachableException(),
    };

    private FormNode? Find(FormKeySegment segment)
    {
        Debug.Assert(segment.Kind == ChildKind, "The builder gives each container the segment kind it was made for.");
        return segment.Kind == FormSegmentKind.Property
            ? _properties!.GetValueOrDefault(segment.Name)
            : _indexed!.GetValueOrDefault(segment.Index);
    }

    private void Insert(FormKeySegment segment, FormNode node)
    {
        switch (segment.Kind)
        {
            case FormSegmentKind.Property:
                _properties!.Add(segment.Name, node);
                break;
            case FormSegmentKind.Index:
                _indexed!.Add(segment.Index, node);
                break;
            default:
                _appended!.Add(node);
                break;
        }
    }
}
