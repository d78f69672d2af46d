using System.Text.Json;
using System.Text.RegularExpressions;
using Acornima;

namespace Hatbox.Features.Flows.Definitions;

/// <summary>
/// Checks a flow document before it is saved: first the shipped JSON Schema, then what a schema
/// cannot say (ids unique in the whole flow, references to steps that exist, expressions and
/// scripts that parse), each fault with the JSON path of the value at fault.
/// </summary>
internal static partial class FlowValidator
{
    public const int MaxDocumentBytes = 256 * 1024;

    public static (FlowDefinition? Definition, List<FlowFault> Faults) Validate(JsonElement document)
    {
        var faults = FlowSchema.Check(document);
        if (faults.Count > 0)
        {
            return (null, faults);
        }
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var steps = ParseSteps(document.GetProperty("steps"), "/steps", ids, faults);
        var output = document.TryGetProperty("output", out var o) ? o.Clone() : (JsonElement?)null;
        var references = new List<(string Path, string Id)>();
        CheckExpressions(document, "", faults, references);
        foreach (var (path, id) in references)
        {
            if (!ids.ContainsKey(id))
            {
                faults.Add(new FlowFault(path, $"No step with id '{id}' in this flow."));
            }
        }
        var timeout = document.TryGetProperty("timeout", out var t) ? Durations.Parse(t) : null;
        return faults.Count > 0
            ? (null, faults)
            : (new FlowDefinition(document.GetProperty("name").GetString()!, steps, output, timeout), faults);
    }

    static List<FlowStep> ParseSteps(JsonElement array, string path, Dictionary<string, string> ids, List<FlowFault> faults)
    {
        var steps = new List<FlowStep>();
        var index = 0;
        foreach (var step in array.EnumerateArray())
        {
            var at = $"{path}/{index++}";
            var id = step.GetProperty("id").GetString()!;
            if (!ids.TryAdd(id, at))
            {
                faults.Add(new FlowFault($"{at}/id", $"The id '{id}' is already used at {ids[id]}; ids are unique in the whole flow."));
            }
            var uses = step.GetProperty("uses").GetString()!;
            var with = step.TryGetProperty("with", out var w) ? w.Clone() : EmptyObject;
            var retry = RetryPolicy.None;
            if (step.TryGetProperty("retry", out var r))
            {
                var max = r.TryGetProperty("max", out var m) ? m.GetInt32() : 0;
                var backoff = r.TryGetProperty("backoff", out var b) ? Durations.Parse(b) ?? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1);
                retry = new RetryPolicy(max, backoff);
            }
            var timeout = step.TryGetProperty("timeout", out var t) ? Durations.Parse(t) : null;
            List<FlowStep> Nested(string name) => with.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
                ? ParseSteps(list, $"{at}/with/{name}", ids, faults)
                : [];
            steps.Add(uses switch
            {
                "if" => new FlowStep(id, uses, with, retry, timeout, at, Nested("then"), Nested("else"), []),
                "foreach" => new FlowStep(id, uses, with, retry, timeout, at, [], [], Nested("steps")),
                _ => new FlowStep(id, uses, with, retry, timeout, at, [], [], []),
            });
        }
        return steps;
    }

    /// <summary>Every string in the document: its expressions must parse; a script's code must parse as a function body.</summary>
    static void CheckExpressions(JsonElement value, string path, List<FlowFault> faults, List<(string, string)> references)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var isScript = value.TryGetProperty("uses", out var uses) && uses.ValueKind == JsonValueKind.String && uses.GetString() == "script";
                foreach (var property in value.EnumerateObject())
                {
                    var at = $"{path}/{EscapePointer(property.Name)}";
                    if (isScript && property.Name == "with" && property.Value.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
                    {
                        CheckScript(code.GetString()!, $"{at}/code", faults, references);
                    }
                    CheckExpressions(property.Value, at, faults, references);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    CheckExpressions(item, $"{path}/{index++}", faults, references);
                }
                break;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (!Templates.HasExpression(text) || path.EndsWith("/with/code", StringComparison.Ordinal))
                {
                    return;
                }
                var parts = Templates.Split(text, out var unclosed);
                foreach (var (isExpression, expression) in parts)
                {
                    if (isExpression)
                    {
                        CheckParses($"({expression}\n)", path, "expression", faults);
                        CollectReferences(expression, path, references);
                    }
                }
                if (unclosed is not null)
                {
                    faults.Add(new FlowFault(path, "An expression opened with ${{ is never closed with }}."));
                }
                break;
        }
    }

    static void CheckScript(string code, string path, List<FlowFault> faults, List<(string, string)> references)
    {
        CheckParses($"(function () {{\n{code}\n}})", path, "script", faults);
        CollectReferences(code, path, references);
    }

    static void CheckParses(string source, string path, string what, List<FlowFault> faults)
    {
        try
        {
            new Parser(new ParserOptions { EcmaVersion = EcmaVersion.Latest }).ParseScript(source, strict: true);
        }
        catch (ParseErrorException error)
        {
            faults.Add(new FlowFault(path, $"The {what} does not parse: {error.Description}"));
        }
    }

    static void CollectReferences(string code, string path, List<(string, string)> references)
    {
        foreach (Match match in StepReference().Matches(code))
        {
            references.Add((path, match.Groups["dot"].Success ? match.Groups["dot"].Value : match.Groups["index"].Value));
        }
    }

    static string EscapePointer(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    [GeneratedRegex("""\bsteps\s*(?:\.\s*(?<dot>[A-Za-z_$][\w$]*)|\[\s*(?:'(?<index>[^']*)'|"(?<index>[^"]*)")\s*\])""")]
    private static partial Regex StepReference();

    static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
