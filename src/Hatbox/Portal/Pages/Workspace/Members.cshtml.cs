using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>Who is in the workspace; admins invite people, set roles and switch API access, as in the management API.</summary>
internal sealed class MembersModel(
    WorkspaceService workspaces, WorkspaceHosts hosts, WorkspaceAccess access, MemberService members, InvitationService invitations)
    : WorkspacePage(workspaces, hosts)
{
    public static readonly string[] RoleNames = ["admin", "leader", "developer", "member"];

    public List<MemberResponse> Members { get; private set; } = [];

    public List<InvitationService.InvitationResponse> Invitations { get; private set; } = [];

    [BindProperty] public string? Email { get; set; }

    [BindProperty] public string? Role { get; set; } = "developer";

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct) =>
        await AsAdminAsync(() => invitations.InviteAsync(Workspace.Id, Email, Role, Me.Actor, ct),
            invited => $"{invited.Email} is invited as {invited.Role}.", ct);

    public async Task<IActionResult> OnPostUpdateAsync(string userId, string? memberRole, bool apiAccess, CancellationToken ct) =>
        await AsAdminAsync(() => members.UpdateAsync(Workspace.Id, userId, new UpdateMemberRequest(memberRole, apiAccess), Me.Actor, ct),
            member => $"{member.Email} is now {member.Role} with API access {(member.ApiAccess ? "on" : "off")}.", ct);

    public async Task<IActionResult> OnPostRemoveAsync(string userId, CancellationToken ct) =>
        await AsAdminAsync(async () => await members.RemoveAsync(Workspace.Id, userId, Me.Actor, ct) is { } error
                ? new Common.Outcome<string>(null, error)
                : userId,
            _ => "The member is removed; their keys stop working within a second.", ct);

    /// <summary>Runs an admin's change: refusals (not an admin, last admin, bad input) are shown on the page.</summary>
    async Task<IActionResult> AsAdminAsync<T>(Func<Task<Common.Outcome<T>>> change, Func<T, string> done, CancellationToken ct)
    {
        var caller = await access.RequireAsync(Me.UserId, Workspace.Id, WorkspaceRole.Admin, ct);
        var result = caller.Succeeded ? await change() : caller.Error!;
        if (result.Succeeded)
        {
            return Done("members", done(result.Value!));
        }
        Refuse(result.Error!, result.Error!.Param == "email" ? nameof(Email) : null);
        await LoadAsync(ct);
        return Page();
    }

    async Task LoadAsync(CancellationToken ct)
    {
        Members = await members.ListAsync(Workspace.Id, ct);
        if (IsAdmin)
        {
            Invitations = (await invitations.ListAsync(Workspace.Id, ct)).FindAll(i => i.AcceptedAt is null);
        }
    }
}
