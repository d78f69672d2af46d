using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>
/// Sign-in on the public host or on a workspace's own host (<c>https://acme.localhost</c>). The
/// session cookie is a <c>__Host-</c> cookie, so each host has its own session: signing in "to a
/// workspace" (seed S10) is signing in on its host.
/// </summary>
internal sealed class SignInModel(AccountService accounts, SessionService sessions, SignInThrottle throttle, WorkspaceHosts hosts)
    : PageModel
{
    [BindProperty] public string? Email { get; set; }

    [BindProperty] public string? Password { get; set; }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public string? Slug => hosts.SlugOf(Request);

    /// <summary>On a workspace host: where to carry over the sign-in of the portal host instead of typing the password again.</summary>
    public string? HandoffUrl => Slug is null
        ? null
        : "/handoff/start?returnUrl=" + Uri.EscapeDataString(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/workspace");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = CrossSiteRequests.IsCrossSite(Request)
            ? CrossSiteRequests.Refused
            : throttle.TryAttempt(HttpContext) ?? await accounts.SignInAsync(Email, Password, ct);
        if (!user.Succeeded)
        {
            ModelState.AddApiError(user.Error! with { Param = null });
            Response.StatusCode = user.Error.Status;
            return Page();
        }
        await sessions.StartAsync(HttpContext, user.Value!, ct);
        // Only a path on this host: an absolute or protocol-relative URL here would be an open redirect.
        if (Url.IsLocalUrl(ReturnUrl))
        {
            return LocalRedirect(ReturnUrl);
        }
        return LocalRedirect(Slug is null ? "/workspaces" : "/workspace");
    }
}
