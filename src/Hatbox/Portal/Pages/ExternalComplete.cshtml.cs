using System.Security.Claims;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Hatbox.Features.Accounts.External;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>
/// Where a provider's sign-in lands once its handler has checked state, nonce and signature: finds
/// or links the account (<see cref="ExternalLoginService"/>) and starts the session. The provider's
/// answer is read from a short-lived cookie that only that handler sets, so a link to this page
/// from elsewhere signs nobody in.
/// </summary>
internal sealed class ExternalCompleteModel(ExternalLoginService logins, SessionService sessions, ILogger<ExternalCompleteModel> logger) : PageModel
{
    public const string ProviderItem = "hatbox:provider";

    public string Message { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? failed, string? returnUrl, CancellationToken ct)
    {
        var result = await HttpContext.AuthenticateAsync(ExternalLoginsServiceCollectionExtensions.ExternalScheme);
        await HttpContext.SignOutAsync(ExternalLoginsServiceCollectionExtensions.ExternalScheme);
        if (failed is not null || !result.Succeeded || result.Properties?.Items.TryGetValue(ProviderItem, out var provider) != true)
        {
            ExternalLoginLog.NotCompleted(logger, failed ?? result.Failure?.Message ?? (result.Succeeded ? "no provider named" : "no answer"));
            return Refuse(ExternalLoginService.Unusable);
        }
        var claims = result.Principal!;
        var identity = new ExternalLoginService.Identity(
            provider!,
            claims.FindFirstValue("sub") ?? "",
            claims.FindFirstValue("email"),
            bool.TryParse(claims.FindFirstValue("email_verified"), out var verified) && verified,
            claims.FindFirstValue("name"));
        var user = await logins.SignInAsync(identity, ct);
        if (!user.Succeeded)
        {
            return Refuse(user.Error!);
        }
        await sessions.StartAsync(HttpContext, user.Value!, ct);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/workspaces");
    }

    PageResult Refuse(ApiError error)
    {
        Message = error.Message;
        Response.StatusCode = error.Status;
        Response.Headers[HandoffCompleteModel.FailureHeader] = error.Code;
        return Page();
    }
}
