using System.Text.RegularExpressions;
using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>
/// Step 2 of the sign-in handoff, on the portal host and behind its sign-in (someone signed out is
/// sent to sign in first and comes back here): issues the single-use token and sends the browser
/// back to the workspace host with it.
/// </summary>
internal sealed partial class HandoffModel(SignInHandoff handoff, WorkspaceHosts hosts) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? workspace, string? state, string? returnUrl, CancellationToken ct)
    {
        var me = SignedInUser.From(User)!;
        var origin = workspace is not null && SlugPattern().IsMatch(workspace) && hosts.SlugOf(Request) is null
            ? hosts.WorkspaceOrigin(Request, workspace)
            : null;
        var token = origin is null || state is null ? null : await handoff.IssueAsync(me.UserId, me.SessionId, workspace!, state, ct);
        if (token is null)
        {
            return LocalRedirect("/workspaces");
        }
        var back = Url.IsLocalUrl(returnUrl) ? returnUrl : "/workspace";
        return Redirect(new Uri(origin!, $"/handoff/complete?token={Uri.EscapeDataString(token)}&returnUrl={Uri.EscapeDataString(back)}").ToString());
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex SlugPattern();
}
