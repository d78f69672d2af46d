using System.Text.Json.Nodes;
using Hatbox.Features.Flows;
using Hatbox.Features.Storage;

namespace Hatbox.Features.ApiReference;

/// <summary>
/// The few shapes a handler's signature cannot show: handlers that return a plain <c>IResult</c>
/// (a flow trigger answers 200 or 202 with the same record), read a multipart body themselves, or
/// stream a file. Kept here rather than as attributes on the endpoints, by operation id.
/// </summary>
internal static class DeclaredShapes
{
    /// <summary>Typed answers the generator cannot infer, by operation id.</summary>
    public static readonly IReadOnlyDictionary<string, (int Status, Type Body)[]> Answers = new Dictionary<string, (int, Type)[]>(StringComparer.Ordinal)
    {
        ["TriggerFlowWithPayload"] = [(200, typeof(FlowTriggerResponse)), (202, typeof(FlowTriggerResponse))],
        ["TriggerFlowWithFile"] = [(200, typeof(FlowTriggerResponse)), (202, typeof(FlowTriggerResponse))],
    };

    public static void Apply(string operationId, JsonObject operation)
    {
        switch (operationId)
        {
            case "UploadFile":
                operation["requestBody"] = Multipart(
                    new JsonObject
                    {
                        [MultipartUpload.FileField] = Binary(),
                        [MultipartUpload.PathField] = new JsonObject { ["type"] = "string", ["description"] = "The folder to store the file in." },
                    },
                    required: MultipartUpload.FileField);
                break;
            case "TriggerFlowWithFile":
                operation["requestBody"] = Multipart(
                    new JsonObject
                    {
                        ["file"] = Binary(),
                        ["url"] = new JsonObject { ["type"] = "string", ["format"] = "uri", ["description"] = "Instead of a file: an https address the server fetches." },
                    },
                    required: null);
                break;
            case "DownloadFile":
                var ok = DocumentRules.Object(DocumentRules.Object(operation, "responses"), "200");
                ok["description"] = "The file's bytes, with its content type.";
                ok["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = Binary() } };
                break;
            case "GetFlowSchema":
                var schema = DocumentRules.Object(DocumentRules.Object(operation, "responses"), "200");
                schema["content"] = new JsonObject { ["application/schema+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } };
                break;
        }
    }

    static JsonObject Binary() => new() { ["type"] = "string", ["contentMediaType"] = "application/octet-stream" };

    static JsonObject Multipart(JsonObject properties, string? required)
    {
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required is not null)
        {
            schema["required"] = new JsonArray(required);
        }
        return new JsonObject
        {
            ["required"] = true,
            ["content"] = new JsonObject { ["multipart/form-data"] = new JsonObject { ["schema"] = schema } },
        };
    }
}
