using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Common;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Hatbox.Features.Flows.Definitions;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Flows;

/// <summary>
/// <c>/v1/workspaces/{workspaceId}/flows</c>: definitions and run history, for members who reach
/// the API Tokens screen (developer or above with API access), as the keys that trigger flows.
/// The body of a create or update is the flow document itself.
/// </summary>
internal static class FlowsManagementEndpoints
{
    public static RouteGroupBuilder MapFlowsManagement(this RouteGroupBuilder v1)
    {
        v1.MapGet("/flow-schema", () => TypedResults.Text(FlowSchema.Text, "application/schema+json")).WithTags("Flows").WithName("GetFlowSchema");
        var group = v1.MapGroup("/workspaces/{workspaceId}/flows").WithTags("Flows");

        group.MapGet("/", ListFlows).WithName("ListFlows");
        group.MapPost("/", CreateFlow).WithName("CreateFlow");
        group.MapGet("/{flowId}", GetFlow).WithName("GetFlow");
        group.MapPut("/{flowId}", UpdateFlow).WithName("UpdateFlow");
        group.MapDelete("/{flowId}", DeleteFlow).WithName("DeleteFlow");
        group.MapGet("/{flowId}/runs", ListFlowRuns).WithName("ListFlowRuns");
        group.MapGet("/runs/{runId}", GetFlowRun).WithName("GetFlowRunDetail");
        return group;
    }

    static async Task<Results<Ok<Page<FlowResponse>>, ApiError>> ListFlows(
        string workspaceId, SignedInUser me, WorkspaceAccess access, FlowService flows, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        return member.Succeeded ? TypedResults.Ok(new Page<FlowResponse>(await flows.ListAsync(member.Value!.WorkspaceId, ct), null)) : member.Error!;
    }

    static async Task<Results<Created<FlowResponse>, ApiError>> CreateFlow(
        string workspaceId, Body<JsonObject> body, SignedInUser me, WorkspaceAccess access, FlowService flows, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        if (!member.Succeeded)
        {
            return member.Error!;
        }
        var created = await flows.CreateAsync(member.Value!.WorkspaceId, JsonSerializer.SerializeToElement(body.Value), me.Actor, ct);
        return created.Succeeded ? TypedResults.Created($"/v1/workspaces/{workspaceId}/flows/{created.Value!.FlowId}", created.Value) : created.Error!;
    }

    static async Task<Results<Ok<FlowResponse>, ApiError>> GetFlow(
        string workspaceId, string flowId, SignedInUser me, WorkspaceAccess access, FlowService flows, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        var flow = member.Succeeded ? await flows.GetAsync(member.Value!.WorkspaceId, flowId, ct) : member.Error!;
        return flow.Succeeded ? TypedResults.Ok(flow.Value!) : flow.Error!;
    }

    static async Task<Results<Ok<FlowResponse>, ApiError>> UpdateFlow(
        string workspaceId, string flowId, Body<JsonObject> body, SignedInUser me, WorkspaceAccess access, FlowService flows, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        var flow = member.Succeeded
            ? await flows.UpdateAsync(member.Value!.WorkspaceId, flowId, JsonSerializer.SerializeToElement(body.Value), me.Actor, ct)
            : member.Error!;
        return flow.Succeeded ? TypedResults.Ok(flow.Value!) : flow.Error!;
    }

    static async Task<Results<NoContent, ApiError>> DeleteFlow(
        string workspaceId, string flowId, SignedInUser me, WorkspaceAccess access, FlowService flows, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        if (!member.Succeeded)
        {
            return member.Error!;
        }
        return await flows.DeleteAsync(member.Value!.WorkspaceId, flowId, ct) ? TypedResults.NoContent() : FlowErrors.FlowNotFound;
    }

    static async Task<Results<Ok<Page<FlowRunResponse>>, ApiError>> ListFlowRuns(
        string workspaceId, string flowId, int? limit, SignedInUser me, WorkspaceAccess access, FlowService flows, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        return member.Succeeded
            ? TypedResults.Ok(new Page<FlowRunResponse>(await flows.ListRunsAsync(member.Value!.WorkspaceId, flowId, limit ?? 50, ct), null))
            : member.Error!;
    }

    static async Task<Results<Ok<FlowRunResponse>, ApiError>> GetFlowRun(
        string workspaceId, string runId, SignedInUser me, WorkspaceAccess access, FlowService flows, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        var run = member.Succeeded ? await flows.GetRunAsync(member.Value!.WorkspaceId, runId, ct) : member.Error!;
        return run.Succeeded ? TypedResults.Ok(run.Value!) : run.Error!;
    }
}
