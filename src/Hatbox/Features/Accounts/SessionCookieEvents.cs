using Hatbox.Common.Errors;
using Hatbox.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Hatbox.Features.Accounts;

/// <summary>
/// A session must still exist server-side. Under <c>/v1</c> the cookie scheme behaves like an API:
/// refusals are the error envelope (401 <c>not_signed_in</c>, 403 <c>forbidden</c>), never a
/// redirect; portal pages send the browser to the sign-in page instead.
/// </summary>
internal sealed class SessionCookieEvents(SessionService sessions, WorkspaceHosts hosts) : CookieAuthenticationEvents
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

    /// <summary>On a workspace host, a signed-out page first tries the sign-in of the portal host (<see cref="SignInHandoff"/>).</summary>
    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (IsApi(context.Request))
        {
            return ApiErrorWriter.WriteAsync(context.HttpContext, SessionErrors.NotSignedIn);
        }
        if (hosts.SlugOf(context.Request) is not null)
        {
            var request = context.Request;
            context.Response.Redirect("/handoff/start?returnUrl=" + Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString));
            return Task.CompletedTask;
        }
        return base.RedirectToLogin(context);
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        ApiErrorWriter.WriteAsync(context.HttpContext, SessionErrors.Forbidden);

    // Signing in or out never redirects by itself: the API answers, and portal pages choose where to go.
    public override Task RedirectToLogout(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;

    public override Task RedirectToReturnUrl(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;

    static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/v1", StringComparison.Ordinal);
}
