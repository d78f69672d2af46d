using Hatbox.Features.Accounts;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>
/// What a browser sees at <c>/</c> (API clients get the server info there, <see cref="BrowserPageMatcherPolicy"/>):
/// what Hatbox is and the way in, or the signed-in user's workspaces. On a workspace's own host it is
/// that workspace's home.
/// </summary>
internal sealed class IndexModel(WorkspaceService workspaces, WorkspaceHosts hosts) : PageModel
{
    /// <summary>The signed-in user's workspaces; null for a visitor.</summary>
    public List<WorkspaceResponse>? Workspaces { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (hosts.SlugOf(Request) is not null)
        {
            return LocalRedirect("/workspace");
        }
        if (SignedInUser.From(User) is { } me)
        {
            Workspaces = await workspaces.ListForUserAsync(me.UserId, ct);
        }
        return Page();
    }
}
