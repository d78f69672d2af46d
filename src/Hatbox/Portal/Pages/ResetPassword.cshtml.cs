using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Hatbox.Portal.Pages;

/// <summary>The page the reset e-mail links to: sets the new password, ends every other session, and signs this browser in.</summary>
internal sealed class ResetPasswordModel(PasswordReset reset, SessionService sessions, SignInThrottle throttle, IOptions<AccountOptions> options)
    : PageModel
{
    public int MinPasswordLength => options.Value.MinPasswordLength;

    [BindProperty(SupportsGet = true)] public string? Token { get; set; }

    [BindProperty] public string? Password { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = CrossSiteRequests.IsCrossSite(Request)
            ? CrossSiteRequests.Refused
            : throttle.TryAttempt(HttpContext) ?? await reset.ResetAsync(Token, Password, ct);
        if (!user.Succeeded)
        {
            // A spent or unknown link is said above the form: there is no token field to show it beside.
            ModelState.AddApiError(user.Error!.Param == "password" ? user.Error : user.Error with { Param = null });
            Response.StatusCode = user.Error!.Status;
            return Page();
        }
        await sessions.StartAsync(HttpContext, user.Value!, ct);
        return LocalRedirect("/workspaces");
    }
}
