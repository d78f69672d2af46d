using Hatbox.Common;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Workspaces;

/// <summary>
/// <c>/v1/workspaces/{workspaceId}/members</c>: every member may see who is in the workspace;
/// only admins change roles and API access or remove people. The last admin stays (409).
/// </summary>
internal static class MembersEndpoints
{
    public static RouteGroupBuilder MapMembers(this RouteGroupBuilder workspaces)
    {
        var group = workspaces.MapGroup("/{workspaceId}/members").WithTags("Members");

        group.MapGet("/", ListMembers).WithName("ListMembers");
        group.MapPatch("/{userId}", UpdateMember).WithName("UpdateMember");
        group.MapDelete("/{userId}", RemoveMember).WithName("RemoveMember");
        return group;
    }

    static async Task<Results<Ok<Page<MemberResponse>>, ApiError>> ListMembers(
        string workspaceId, SignedInUser me, WorkspaceAccess access, MemberService members, CancellationToken ct)
    {
        var caller = await access.RequireAsync(me.UserId, workspaceId, WorkspaceRole.Member, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        return TypedResults.Ok(new Page<MemberResponse>(await members.ListAsync(caller.Value!.WorkspaceId, ct), NextCursor: null));
    }

    static async Task<Results<Ok<MemberResponse>, ApiError>> UpdateMember(
        string workspaceId, string userId, Body<UpdateMemberRequest> body, SignedInUser me, WorkspaceAccess access,
        MemberService members, CancellationToken ct)
    {
        var caller = await access.RequireAsync(me.UserId, workspaceId, WorkspaceRole.Admin, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        var updated = await members.UpdateAsync(caller.Value!.WorkspaceId, userId, body.Value, me.Actor, ct);
        return updated.Succeeded ? TypedResults.Ok(updated.Value!) : updated.Error!;
    }

    static async Task<Results<NoContent, ApiError>> RemoveMember(
        string workspaceId, string userId, SignedInUser me, WorkspaceAccess access, MemberService members, CancellationToken ct)
    {
        var caller = await access.RequireAsync(me.UserId, workspaceId, WorkspaceRole.Admin, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        return await members.RemoveAsync(caller.Value!.WorkspaceId, userId, me.Actor, ct) is { } error
            ? error
            : TypedResults.NoContent();
    }
}
