using Hatbox.Common.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Hatbox.Features.Accounts;

/// <summary>
/// Makes the cookie scheme behave like an API: a session must still exist server-side, and
/// refusals are the error envelope (401 <c>not_signed_in</c>, 403 <c>forbidden</c>), never a
/// redirect to a login page.
/// </summary>
internal sealed class SessionCookieEvents(SessionService sessions) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var user = context.Principal is { } principal ? SignedInUser.From(principal) : null;
        var check = user is null
            ? SessionService.SessionCheck.Ended
            : await sessions.CheckAsync(user.SessionId, user.UserId, context.HttpContext.RequestAborted);
        if (check == SessionService.SessionCheck.Ended)
        {
            context.RejectPrincipal();
            // Tell the browser to drop a cookie that will never work again.
            await context.HttpContext.SignOutAsync(SessionDefaults.Scheme);
            return;
        }
        context.ShouldRenew |= check == SessionService.SessionCheck.Renewed;
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) =>
        ApiErrorWriter.WriteAsync(context.HttpContext, SessionErrors.NotSignedIn);

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        ApiErrorWriter.WriteAsync(context.HttpContext, SessionErrors.Forbidden);

    // The API never redirects, not even after signing in or out.
    public override Task RedirectToLogout(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;

    public override Task RedirectToReturnUrl(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;
}
