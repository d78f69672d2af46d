using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Hatbox.Portal.Pages;

internal sealed class SignUpModel(AccountService accounts, SessionService sessions, SignInThrottle throttle, IOptions<AccountOptions> options)
    : PageModel
{
    public int MinPasswordLength => options.Value.MinPasswordLength;

    // From the query too: an invitation e-mail links here with the invited address filled in.
    [BindProperty(SupportsGet = true)] public string? Email { get; set; }

    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? Password { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = CrossSiteRequests.IsCrossSite(Request)
            ? CrossSiteRequests.Refused
            : throttle.TryAttempt(HttpContext) ?? await accounts.SignUpAsync(Email, Password, Name, ct);
        if (!user.Succeeded)
        {
            ModelState.AddApiError(user.Error!);
            Response.StatusCode = user.Error!.Status;
            return Page();
        }
        await sessions.StartAsync(HttpContext, user.Value!, ct);
        return LocalRedirect("/workspaces");
    }
}
