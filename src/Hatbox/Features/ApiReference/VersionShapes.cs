using System.Text.Json.Nodes;
using Hatbox.Features.Versions;

namespace Hatbox.Features.ApiReference;

/// <summary>
/// An older version's response shapes, made by running that version's own change steps
/// (<see cref="IVersionChange"/>) over the schema's properties: a step that renames or removes a field
/// in an answer renames or removes the same entry in a map of field name to schema. So the document
/// for <c>?version=</c> is made by the code that makes the answers, not kept beside it.
/// </summary>
internal static class VersionShapes
{
    public static void Apply(JsonObject operation, JsonObject schemas, IReadOnlyList<IVersionChange> steps)
    {
        if (steps.Count == 0 || operation["responses"]?["200"]?["content"]?["application/json"] is not JsonObject media
            || media["schema"] is not JsonObject schema)
        {
            return;
        }
        var resolved = Resolve(schema, schemas)?.DeepClone().AsObject();
        if (resolved?["properties"] is not JsonObject properties)
        {
            return;
        }
        var required = (resolved["required"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        var requiredSchemas = properties.Where(p => required.Contains(p.Key)).Select(p => p.Value).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var step in steps)
        {
            step.Downgrade(properties);
        }
        // A renamed field keeps its schema node, so "required" follows it under its old name.
        resolved["required"] = new JsonArray([.. properties.Where(p => requiredSchemas.Contains(p.Value)).Select(p => JsonValue.Create(p.Key))]);
        media["schema"] = resolved;
    }

    static JsonObject? Resolve(JsonObject schema, JsonObject schemas)
    {
        var reference = schema["$ref"]?.GetValue<string>();
        const string prefix = "#/components/schemas/";
        return reference is null ? schema
            : reference.StartsWith(prefix, StringComparison.Ordinal) ? schemas[reference[prefix.Length..]] as JsonObject
            : null;
    }
}
