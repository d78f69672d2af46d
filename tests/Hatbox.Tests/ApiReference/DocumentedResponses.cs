using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hatbox.Tests.ApiReference;

/// <summary>
/// Holds real answers up against the served OpenAPI document: the operation must list the status,
/// and the body must match that status's schema (OpenAPI 3.1 schemas are JSON Schema 2020-12, checked
/// with JsonSchema.Net). Records which operations were seen to succeed and to fail.
/// </summary>
internal sealed class DocumentedResponses
{
    readonly JsonObject _operations = [];
    readonly JsonObject _definitions;

    public DocumentedResponses(JsonObject document)
    {
        // Component references become references into one schema document's $defs, so each
        // response schema can be checked on its own with every component beside it.
        var text = document.ToJsonString().Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);
        var rewritten = JsonNode.Parse(text)!.AsObject();
        _definitions = rewritten["components"]?["schemas"]?.AsObject() ?? [];
        foreach (var (path, item) in rewritten["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation?["operationId"]?.GetValue<string>() is { } id)
                {
                    _operations[id] = new JsonObject { ["path"] = path, ["method"] = method, ["operation"] = operation.DeepClone() };
                }
            }
        }
    }

    public IEnumerable<string> OperationIds => _operations.Select(o => o.Key);

    public HashSet<string> Succeeded { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Failed { get; } = new(StringComparer.Ordinal);

    public JsonObject Operation(string operationId) =>
        _operations[operationId]?["operation"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{operationId} is not in the document.");

    /// <summary>Asserts that <paramref name="response"/> is a documented answer of <paramref name="operationId"/>; returns its body.</summary>
    public async Task<JsonElement> CheckAsync(string operationId, HttpResponseMessage response)
    {
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var responses = Operation(operationId)["responses"]!.AsObject();
        Assert.True(responses.ContainsKey(status), $"{operationId} answered {status}, which the document does not list: {Shorten(text)}");
        (response.IsSuccessStatusCode ? Succeeded : Failed).Add(operationId);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var content = responses[status]!["content"]?.AsObject();
        if (text.Length == 0 || mediaType is null || !mediaType.Contains("json", StringComparison.Ordinal))
        {
            return default;
        }
        Assert.True(content is not null && content.Count > 0, $"{operationId} {status} has a {mediaType} body the document does not describe.");
        var schema = (content[mediaType] ?? content["application/json"] ?? content.First().Value)?["schema"]?.AsObject();
        Assert.True(schema is not null, $"{operationId} {status}: no schema for {mediaType}.");
        using var body = JsonDocument.Parse(text);
        var standalone = schema.DeepClone().AsObject();
        standalone["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        standalone["$defs"] = _definitions.DeepClone();
        var evaluated = global::Json.Schema.JsonSchema.FromText(standalone.ToJsonString(), null, new Uri($"https://hatbox.test/schemas/{Guid.NewGuid():N}"))
            .Evaluate(body.RootElement, new global::Json.Schema.EvaluationOptions { OutputFormat = global::Json.Schema.OutputFormat.List });
        Assert.True(evaluated.IsValid, $"{operationId} {status} does not match its schema: {Faults(evaluated)}\nBody: {Shorten(text)}");
        return body.RootElement.Clone();
    }

    static string Faults(global::Json.Schema.EvaluationResults results) => string.Join("; ",
        (results.Details ?? []).Prepend(results).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")).Take(8));

    static string Shorten(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
