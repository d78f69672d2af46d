using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>
/// Step 1 of the sign-in handoff (<see cref="SignInHandoff"/>), on a workspace host: binds this
/// browser with a nonce cookie and sends it to the portal host, which signs it in if needed.
/// </summary>
internal sealed class HandoffStartModel(WorkspaceHosts hosts) : PageModel
{
    public IActionResult OnGet(string? returnUrl)
    {
        if (hosts.SlugOf(Request) is not { } slug)
        {
            // The portal host has its own session already; nothing to hand off.
            return LocalRedirect("/signin");
        }
        var nonce = SignInHandoff.NewNonce();
        Response.Cookies.Append(SignInHandoff.NonceCookie, nonce, new CookieOptions
        {
            Secure = true,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = TimeSpan.FromMinutes(10),
        });
        var back = Url.IsLocalUrl(returnUrl) ? returnUrl : "/workspace";
        var portal = $"https://{hosts.PublicAuthority(Request)}/handoff?workspace={Uri.EscapeDataString(slug)}" +
            $"&state={SignInHandoff.BrowserBinding(nonce)}&returnUrl={Uri.EscapeDataString(back)}";
        return Redirect(portal);
    }
}
