using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>Ends the session server-side, so a copy of the cookie stops working too. Only by POST: a link could not be forged into a sign-out.</summary>
internal sealed class SignOutModel(SessionService sessions) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await sessions.SignOutAsync(HttpContext, ct);
        return LocalRedirect("/signin");
    }
}
