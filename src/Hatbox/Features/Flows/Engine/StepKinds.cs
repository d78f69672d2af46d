using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Features.Flows.Definitions;
using Hatbox.Features.Flows.Steps;

namespace Hatbox.Features.Flows.Engine;

/// <summary>The leaf step kinds: one attempt of one step, its input already resolved.</summary>
internal sealed class StepKinds(ScriptSandbox sandbox, DbSteps db, HttpStep http, FileReadStep files, SemanticSearchStep search)
{
    public async Task<string> RunAsync(FlowStep step, string key, JsonNode? with, RunScope scope, RunContext context, TimeSpan limit,
        CancellationToken cancellationToken)
    {
        switch (step.Uses)
        {
            case "script":
                var code = step.With.GetProperty("code").GetString()!;
                // Jint runs synchronously; off the caller's thread so a trigger's request thread is not held.
                return await Task.Run(() => sandbox.RunScript(code, scope, limit, cancellationToken), cancellationToken);
            case "db.query" or "db.insert" or "db.update" or "db.delete":
                if (!context.Caller.CanUseApi)
                {
                    throw new StepFailure(StepErrorCodes.AccessRevoked, "The key's creator no longer has API access in this workspace.", retryable: false);
                }
                return Json(await db.RunAsync(step.Uses, AsObject(with), context.Caller, cancellationToken));
            case "semantic-search":
                if (!context.Caller.CanUseApi)
                {
                    throw new StepFailure(StepErrorCodes.AccessRevoked, "The key's creator no longer has API access in this workspace.", retryable: false);
                }
                return Json(await search.RunAsync(AsObject(with), context.Caller, cancellationToken));
            case "http":
                return Json(await http.RunAsync(AsObject(with), $"{context.Run.Id}:{key}", cancellationToken));
            case "file.read":
                return Json(await files.RunAsync(AsObject(with), context.Run.WorkspaceId, JsonNode.Parse(scope.Input), cancellationToken));
            default:
                throw new StepFailure(StepErrorCodes.InvalidArgument, $"Unknown step kind {step.Uses}.", retryable: false);
        }
    }

    static JsonObject AsObject(JsonNode? with) => with as JsonObject ?? [];

    static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    public static string Json(JsonElement element) => element.GetRawText();
}
