using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>The page the verification e-mail links to, and, signed in, the place to ask for a new link.</summary>
internal sealed class VerifyEmailModel(EmailVerification verification, SignInThrottle throttle) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }

    public UserResponse? Verified { get; private set; }

    public bool Sent { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await verification.VerifyAsync(Token, ct);
        if (!user.Succeeded)
        {
            ModelState.AddApiError(user.Error! with { Param = null });
            Response.StatusCode = user.Error.Status;
            return Page();
        }
        Verified = UserResponse.From(user.Value!);
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken ct)
    {
        if (SignedInUser.From(User) is not { } me)
        {
            return LocalRedirect("/signin?returnUrl=%2Fverify-email");
        }
        if (throttle.TryAttempt(HttpContext) is { } refused)
        {
            ModelState.AddApiError(refused);
            Response.StatusCode = refused.Status;
            return Page();
        }
        await verification.ResendAsync(me.UserId, ct);
        Sent = true;
        return Page();
    }
}
