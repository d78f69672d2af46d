using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Features.Flows.Definitions;

namespace Hatbox.Features.Flows.Engine;

/// <summary>
/// Replaces the <c>${{ … }}</c> in a step's <c>with</c> (or the flow's <c>output</c>): a string that
/// is one expression takes its value with its JSON type; text around expressions makes text.
/// </summary>
internal sealed class ValueResolver(ScriptSandbox sandbox)
{
    public JsonNode? Resolve(JsonElement value, RunScope scope, TimeSpan limit, CancellationToken cancellationToken)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var target = new JsonObject();
                foreach (var property in value.EnumerateObject())
                {
                    target[property.Name] = Resolve(property.Value, scope, limit, cancellationToken);
                }
                return target;
            case JsonValueKind.Array:
                var list = new JsonArray();
                foreach (var item in value.EnumerateArray())
                {
                    list.Add(Resolve(item, scope, limit, cancellationToken));
                }
                return list;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (!Templates.HasExpression(text))
                {
                    return JsonValue.Create(text);
                }
                if (Templates.WholeExpression(text) is { } whole)
                {
                    return JsonNode.Parse(sandbox.Evaluate(whole, scope, limit, cancellationToken));
                }
                var built = new StringBuilder();
                foreach (var (isExpression, part) in Templates.Split(text, out _))
                {
                    if (!isExpression)
                    {
                        built.Append(part);
                        continue;
                    }
                    var json = sandbox.Evaluate(part, scope, limit, cancellationToken);
                    var node = JsonNode.Parse(json);
                    built.Append(node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node is null ? "" : json);
                }
                return JsonValue.Create(built.ToString());
            default:
                return JsonNode.Parse(value.GetRawText());
        }
    }

    /// <summary>JavaScript truthiness of a resolved JSON value, for <c>if</c>.</summary>
    public static bool IsTruthy(JsonNode? value) => value switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        JsonValue v when v.TryGetValue<double>(out var d) => d != 0 && !double.IsNaN(d),
        _ => true,
    };
}
