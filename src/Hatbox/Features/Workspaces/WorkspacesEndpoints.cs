using Hatbox.Common;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Workspaces;

/// <summary><c>/v1/workspaces</c>: create and read workspaces, and (in their own files) members and invitations.</summary>
internal static class WorkspacesEndpoints
{
    public static RouteGroupBuilder MapWorkspaces(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/workspaces").WithTags("Workspaces");

        group.MapPost("/", CreateWorkspace).WithName("CreateWorkspace");
        group.MapGet("/", ListWorkspaces).WithName("ListWorkspaces");
        group.MapGet("/{workspaceId}", GetWorkspace).WithName("GetWorkspace");
        group.MapMembers();
        group.MapInvitations();
        return group;
    }

    /// <summary>Creates the organization and its workspace, with the caller as admin with API access.</summary>
    static async Task<Results<Created<WorkspaceResponse>, ApiError>> CreateWorkspace(
        Body<NewWorkspaceRequest> body, SignedInUser me, WorkspaceService workspaces, CancellationToken ct)
    {
        var request = body.Value;
        var created = await workspaces.CreateAsync(me.UserId,
            new CreateWorkspaceRequest(request.Name, request.Slug, request.OrganizationName, Plan: null), ct);
        return created.Succeeded
            ? TypedResults.Created($"/v1/workspaces/{created.Value!.Id}", created.Value)
            : created.Error!;
    }

    /// <summary>A person belongs to a handful of workspaces, so this list is always one page.</summary>
    static async Task<Ok<Page<WorkspaceResponse>>> ListWorkspaces(SignedInUser me, WorkspaceService workspaces, CancellationToken ct) =>
        TypedResults.Ok(new Page<WorkspaceResponse>(await workspaces.ListForUserAsync(me.UserId, ct), NextCursor: null));

    static async Task<Results<Ok<WorkspaceResponse>, ApiError>> GetWorkspace(
        string workspaceId, SignedInUser me, WorkspaceService workspaces, CancellationToken ct) =>
        await workspaces.FindForMemberAsync(workspaceId, me.UserId, ct) is { } workspace
            ? TypedResults.Ok(workspace)
            : WorkspaceAccess.NotFound;
}
