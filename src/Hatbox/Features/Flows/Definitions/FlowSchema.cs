using System.Text.Json;
using Json.Schema;

namespace Hatbox.Features.Flows.Definitions;

/// <summary>The JSON Schema that ships inside the binary (<c>flow.schema.json</c>); every saved document is checked against it.</summary>
internal static class FlowSchema
{
    static readonly Lazy<(string Text, JsonSchema Schema)> Loaded = new(Load);

    public static string Text => Loaded.Value.Text;

    /// <summary>Each place the document breaks the schema, by JSON path; empty when it conforms.</summary>
    public static List<FlowFault> Check(JsonElement document)
    {
        var results = Loaded.Value.Schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var faults = new List<FlowFault>();
        if (results.IsValid)
        {
            return faults;
        }
        foreach (var detail in results.Details ?? [])
        {
            // A failed "if" only picks the branch; it is not a fault of the document.
            var evaluation = detail.EvaluationPath.ToString();
            if (detail.Errors is not { Count: > 0 } errors || evaluation.EndsWith("/if", StringComparison.Ordinal)
                || evaluation.Contains("/if/", StringComparison.Ordinal))
            {
                continue;
            }
            var path = detail.InstanceLocation.ToString();
            foreach (var (keyword, raw) in errors)
            {
                var message = raw.Contains("false schema", StringComparison.Ordinal) ? "This property is not allowed here." : raw;
                // "if"/"then" branches report each failure twice (the branch and the keyword inside it).
                if (!faults.Exists(f => f.Path == path && f.Message == message))
                {
                    faults.Add(new FlowFault(path.Length == 0 ? "/" : path, message));
                }
            }
        }
        if (faults.Count == 0)
        {
            faults.Add(new FlowFault("/", "The document does not match the flow schema."));
        }
        return faults;
    }

    static (string, JsonSchema) Load()
    {
        using var stream = typeof(FlowSchema).Assembly.GetManifestResourceStream("Hatbox.Flows.flow.schema.json")
            ?? throw new InvalidOperationException("The flow schema is missing from the build.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return (text, JsonSchema.FromText(text));
    }
}
