using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>Step 3 of the sign-in handoff, back on the workspace host: spends the token and starts this host's session.</summary>
internal sealed class HandoffCompleteModel(SignInHandoff handoff, WorkspaceHosts hosts) : PageModel
{
    public const string FailureHeader = "Hatbox-Error-Code";

    public async Task<IActionResult> OnGetAsync(string? token, string? returnUrl, CancellationToken ct)
    {
        var nonce = Request.Cookies[SignInHandoff.NonceCookie];
        // The nonce is good for one attempt, whatever its outcome.
        Response.Cookies.Delete(SignInHandoff.NonceCookie, new CookieOptions { Secure = true, Path = "/" });
        if (!await handoff.CompleteAsync(HttpContext, hosts.SlugOf(Request), token, nonce, ct))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            // The page is for people; the code is for tests and scripts, as in the API's envelope.
            Response.Headers[FailureHeader] = ErrorCodes.TokenInvalid;
            return Page();
        }
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/workspace");
    }
}
