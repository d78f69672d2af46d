using Hatbox.Features.Accounts;
using Hatbox.Features.Organizations;
using Hatbox.Features.Versions;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// The signed-in user's e-mail about new API versions, and the organization's pinned API version
/// with upgrade and (within 72 hours) rollback, which only its admins change.
/// </summary>
internal sealed class SettingsModel(
    WorkspaceService workspaces, WorkspaceHosts hosts, AccountService accounts, ApiVersionService versions, OrganizationAccess access)
    : WorkspacePage(workspaces, hosts)
{
    public bool NewVersionNotices { get; private set; }

    public bool IsOrganizationAdmin { get; private set; }

    public VersionCatalogResponse Catalog { get; private set; } = null!;

    public OrganizationVersionResponse Organization { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostNoticesAsync(bool subscribe, CancellationToken ct)
    {
        await accounts.SetNewVersionNoticesAsync(Me.UserId, subscribe, ct);
        return Done("settings",
            subscribe ? "You will get an e-mail when a new API version comes out." : "You will no longer get e-mails about new API versions.");
    }

    public async Task<IActionResult> OnPostUpgradeAsync(string? version, CancellationToken ct) =>
        await AsAdminAsync(() => versions.SetAsync(Workspace.OrganizationId, version, allowDowngrade: false, ct), ct);

    public async Task<IActionResult> OnPostRollBackAsync(CancellationToken ct) =>
        await AsAdminAsync(() => versions.RollBackAsync(Workspace.OrganizationId, ct), ct);

    async Task<IActionResult> AsAdminAsync(Func<Task<Common.Outcome<OrganizationVersionResponse>>> change, CancellationToken ct)
    {
        var refused = await access.RequireAdminAsync(Me.UserId, Workspace.OrganizationId, ct);
        var result = refused is null ? await change() : refused;
        if (result.Succeeded)
        {
            return Done("settings", $"The organization now uses API version {result.Value!.ApiVersion}.");
        }
        Refuse(result.Error!);
        await LoadAsync(ct);
        return Page();
    }

    async Task LoadAsync(CancellationToken ct)
    {
        NewVersionNotices = (await accounts.FindAsync(Me.UserId, ct))?.NotifyNewVersions == true;
        IsOrganizationAdmin = await access.RequireAdminAsync(Me.UserId, Workspace.OrganizationId, ct) is null;
        var organizations = await versions.ForUserAsync(Me.UserId, ct);
        Catalog = ApiVersionService.Catalog(organizations);
        Organization = organizations.Find(o => o.OrganizationId == Workspace.OrganizationId)
            ?? new OrganizationVersionResponse(Workspace.OrganizationId, null, null, null, null);
    }
}
