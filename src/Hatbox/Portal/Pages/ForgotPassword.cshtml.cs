using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>Asks for a reset link. The answer is the same whether or not the address has an account.</summary>
internal sealed class ForgotPasswordModel(PasswordReset reset, SignInThrottle throttle) : PageModel
{
    [BindProperty] public string? Email { get; set; }

    public bool Sent { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var refused = CrossSiteRequests.IsCrossSite(Request) ? CrossSiteRequests.Refused : throttle.TryAttempt(HttpContext);
        if (refused is not null)
        {
            ModelState.AddApiError(refused);
            Response.StatusCode = refused.Status;
            return Page();
        }
        await reset.RequestAsync(Email, ct);
        Sent = true;
        return Page();
    }
}
