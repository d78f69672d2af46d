using Hatbox.Features.Usage;
using System.Text.Json.Nodes;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Flows;

/// <summary>
/// <c>/flows/…</c>, as the official SDK calls it (<c>client.flows</c>): triggers on the key's
/// workspace, the run's status, and run metrics. Another workspace's flow or run is 404, the same
/// as one that does not exist.
/// </summary>
internal static class FlowsEndpoints
{
    public static RouteGroupBuilder MapFlows(this IEndpointRouteBuilder api)
    {
        var flows = api.MapGroup("/flows").WithTags("Flows").RequireApiKey();

        flows.MapPost("/trigger/{flowId}", TriggerWithPayload).WithName("TriggerFlowWithPayload");
        flows.MapPost("/file/{flowId}", TriggerWithFile).WithName("TriggerFlowWithFile")
            .WithMetadata(FlowFileTrigger.BodyLimit(api.ServiceProvider));
        flows.MapGet("/runs/{runId}", GetRun).WithName("GetFlowRun");
        flows.MapGet("/metrics", FlowMetricsQuery.GetMetrics).WithName("GetFlowMetrics");
        return flows;
    }

    static async Task<IResult> TriggerWithPayload(
        string flowId, Body<JsonObject> body, ApiCaller caller, FlowTriggers triggers, IOptions<FlowOptions> options, CancellationToken ct)
    {
        var input = body.Value.ToJsonString();
        if (input.Length > options.Value.MaxInputBytes)
        {
            return ApiError.TooLarge();
        }
        return await RunAsync(flowId, input, caller, triggers, ct);
    }

    static async Task<IResult> TriggerWithFile(
        string flowId, HttpContext http, ApiCaller caller, FlowTriggers triggers, FlowFileTrigger files, CancellationToken ct)
    {
        if (!await triggers.ExistsAsync(caller, flowId, ct))
        {
            return FlowErrors.FlowNotFound;
        }
        var input = await files.ReceiveAsync(http, caller, flowId, ct);
        return input.Succeeded ? await RunAsync(flowId, input.Value!, caller, triggers, ct) : input.Error!;
    }

    internal static async Task<IResult> RunAsync(string flowId, string input, ApiCaller caller, FlowTriggers triggers, CancellationToken ct)
    {
        var started = await triggers.StartAsync(caller, flowId, input, ct);
        if (!started.Succeeded)
        {
            return started.Error!.Code == ErrorCodes.QuotaExceeded ? new MonthlyQuotaRefusal(started.Error!) : started.Error!;
        }
        var run = await triggers.WaitAsync(started.Value!, ct);
        return run.Status switch
        {
            Engine.RunStatus.Completed => TypedResults.Json(Answer(run, "Flow completed."), FlowsJsonContext.Default.FlowTriggerResponse),
            Engine.RunStatus.Failed => new FlowRunFailedResult(run),
            _ => TypedResults.Json(Answer(run, "The flow is still running; GET /flows/runs/{analytics_id} answers its status."),
                FlowsJsonContext.Default.FlowTriggerResponse, statusCode: StatusCodes.Status202Accepted),
        };
    }

    static FlowTriggerResponse Answer(FlowRun run, string message) =>
        new(true, message, run.Id, FlowRuns.Parse(run.Output), run.Status, run.EndedAt ?? DateTimeOffset.UtcNow);

    static async Task<Results<JsonHttpResult<FlowRunResponse>, ApiError>> GetRun(
        string runId, ApiCaller caller, FlowService flows, CancellationToken ct)
    {
        var run = await flows.GetRunAsync(caller.WorkspaceId, runId, ct);
        return run.Succeeded ? TypedResults.Json(run.Value!, FlowsJsonContext.Default.FlowRunResponse) : run.Error!;
    }
}
