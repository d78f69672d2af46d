using Hatbox.Features.Accounts;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>The signed-in user's workspaces, and creating one (with its organization, the user as admin).</summary>
internal sealed class WorkspacesModel(WorkspaceService workspaces, WorkspaceHosts hosts) : PageModel
{
    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? Slug { get; set; }

    public List<WorkspaceResponse> Workspaces { get; private set; } = [];

    public WorkspaceResponse? Created { get; private set; }

    public string PublicAuthority => hosts.PublicAuthority(Request);

    public Uri? WorkspaceOrigin(string slug) => hosts.WorkspaceOrigin(Request, slug);

    public async Task OnGetAsync(string? created, CancellationToken ct)
    {
        Workspaces = await workspaces.ListForUserAsync(Me.UserId, ct);
        Created = Workspaces.Find(w => w.Slug == created);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await workspaces.CreateAsync(Me.UserId, new CreateWorkspaceRequest(Name, Slug, OrganizationName: null, Plan: null), ct);
        if (!result.Succeeded)
        {
            ModelState.AddApiError(result.Error!);
            Workspaces = await workspaces.ListForUserAsync(Me.UserId, ct);
            return Page();
        }
        return LocalRedirect($"/workspaces?created={result.Value!.Slug}");
    }

    SignedInUser Me => SignedInUser.From(User)!;
}
