using Hatbox.Features.ApiKeys;
using Hatbox.Features.Domains;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// The API Tokens screen (seed S7–S9): the organization's ORG key, the workspace's keys (a new
/// one is shown once, here, never again), and its Allowed Domains. Members below developer, or
/// without API access, get advice to ask an admin instead (seed S8), with a 403.
/// </summary>
internal sealed class DevelopersModel(
    WorkspaceService workspaces, WorkspaceHosts hosts, WorkspaceAccess access, ApiKeyService keys, DomainService domains,
    TimeProvider time)
    : WorkspacePage(workspaces, hosts)
{
    bool? _allowed;

    public bool Allowed => _allowed == true;

    /// <summary>
    /// The key just made, carried across the redirect after the form (post/redirect/get) in the
    /// encrypted, HttpOnly flash cookie, which the next page read removes: a reload shows it no more.
    /// </summary>
    [TempData] public string? NewKeyName { get; set; }

    [TempData] public string? NewKeySecret { get; set; }

    public List<ApiKeyResponse> Keys { get; private set; } = [];

    public List<DomainService.DomainResponse> Domains { get; private set; } = [];

    [BindProperty] public string? KeyName { get; set; }

    [BindProperty] public string? Origin { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ShowAsync(ct);

    public async Task<IActionResult> OnPostCreateKeyAsync(CancellationToken ct)
    {
        if (await RequireAccessAsync(ct))
        {
            var created = await keys.CreateAsync(Workspace.Id, Me.UserId, Me.Actor, new CreateApiKeyRequest(KeyName, ExpiresAt: null), ct);
            if (created.Succeeded)
            {
                NewKeyName = created.Value!.Name;
                NewKeySecret = created.Value.ApiKey;
                return LocalRedirect($"{Home}/developers");
            }
            Refuse(created.Error!, nameof(KeyName));
        }
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(string keyId, CancellationToken ct)
    {
        var caller = await access.RequireKeyRevokerAsync(Me.UserId, Workspace.Id, ct);
        var revoked = caller.Succeeded ? await keys.RevokeAsync(Workspace.Id, keyId, Me.Actor, ct) : caller.Error!;
        if (revoked.Succeeded)
        {
            return Done("developers", $"Key {revoked.Value!.Name} ({revoked.Value.Hint}) is revoked. It stops working within a second.");
        }
        Refuse(revoked.Error!);
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostAddDomainAsync(CancellationToken ct)
    {
        if (await RequireAccessAsync(ct))
        {
            var added = await domains.AddAsync(Workspace.Id, Origin, Me.Actor, ct);
            if (added.Succeeded)
            {
                return Done("developers", $"{added.Value!.Origin} may now call the API from a browser.");
            }
            Refuse(added.Error!, nameof(Origin));
        }
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostRemoveDomainAsync(string domain, CancellationToken ct)
    {
        if (await RequireAccessAsync(ct))
        {
            if (await domains.RemoveAsync(Workspace.Id, domain, Me.Actor, ct) is not { } error)
            {
                return Done("developers", $"{domain} is no longer allowed.");
            }
            Refuse(error);
        }
        return await ShowAsync(ct);
    }

    public string StatusOf(ApiKeyResponse key) =>
        key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= time.GetUtcNow() ? "expired" : "active";

    /// <summary>The tokens screen's rule, checked once per request however many steps ask.</summary>
    async Task<bool> RequireAccessAsync(CancellationToken ct)
    {
        _allowed ??= (await access.RequireApiAccessAsync(Me.UserId, Workspace.Id, ct)).Succeeded;
        return _allowed.Value;
    }

    async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        if (!await RequireAccessAsync(ct))
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        Keys = await keys.ListAsync(Workspace.Id, ct);
        Domains = await domains.ListAsync(Workspace.Id, ct);
        return Page();
    }
}
