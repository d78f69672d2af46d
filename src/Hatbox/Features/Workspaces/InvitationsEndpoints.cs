using Hatbox.Common;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Workspaces;

/// <summary>
/// <c>/v1/workspaces/{workspaceId}/invitations</c>, for admins: an invitation becomes a membership
/// when that address signs up or signs in (at once, if it already has an account).
/// </summary>
internal static class InvitationsEndpoints
{
    public static RouteGroupBuilder MapInvitations(this RouteGroupBuilder workspaces)
    {
        var group = workspaces.MapGroup("/{workspaceId}/invitations").WithTags("Invitations");

        group.MapPost("/", InviteMember).WithName("CreateInvitation");
        group.MapGet("/", ListInvitations).WithName("ListInvitations");
        return group;
    }

    static async Task<Results<Created<InvitationService.InvitationResponse>, ApiError>> InviteMember(
        string workspaceId, Body<InviteMemberRequest> body, SignedInUser me, WorkspaceAccess access, InvitationService invitations,
        CancellationToken ct)
    {
        var caller = await access.RequireAsync(me.UserId, workspaceId, WorkspaceRole.Admin, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        var invited = await invitations.InviteAsync(caller.Value!.WorkspaceId, body.Value.Email, body.Value.Role, me.Actor, ct);
        return invited.Succeeded
            ? TypedResults.Created($"/v1/workspaces/{caller.Value.WorkspaceId}/invitations", invited.Value)
            : invited.Error!;
    }

    static async Task<Results<Ok<Page<InvitationService.InvitationResponse>>, ApiError>> ListInvitations(
        string workspaceId, SignedInUser me, WorkspaceAccess access, InvitationService invitations, CancellationToken ct)
    {
        var caller = await access.RequireAsync(me.UserId, workspaceId, WorkspaceRole.Admin, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        return TypedResults.Ok(new Page<InvitationService.InvitationResponse>(
            await invitations.ListAsync(caller.Value!.WorkspaceId, ct), NextCursor: null));
    }
}
