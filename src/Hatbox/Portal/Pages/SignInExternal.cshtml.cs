using Hatbox.Features.Accounts.External;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>The "Continue with Google / Microsoft" buttons: hands the browser to the provider's OpenID Connect handler.</summary>
internal sealed class SignInExternalModel(ExternalProviders providers) : PageModel
{
    public IActionResult OnGet(string provider, string? returnUrl)
    {
        if (providers.Find(provider) is null)
        {
            return NotFound();
        }
        var back = Url.IsLocalUrl(returnUrl) ? returnUrl : "/workspaces";
        var properties = new AuthenticationProperties { RedirectUri = "/signin/external/complete?returnUrl=" + Uri.EscapeDataString(back) };
        properties.Items[ExternalCompleteModel.ProviderItem] = provider;
        return Challenge(properties, provider);
    }
}
