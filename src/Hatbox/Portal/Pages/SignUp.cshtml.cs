using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

internal sealed class SignUpModel(AccountService accounts, SessionService sessions) : PageModel
{
    [BindProperty] public string? Email { get; set; }

    [BindProperty] public string? Name { get; set; }

    [BindProperty] public string? Password { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await accounts.SignUpAsync(Email, Password, Name, ct);
        if (!user.Succeeded)
        {
            ModelState.AddApiError(user.Error!);
            return Page();
        }
        await sessions.StartAsync(HttpContext, user.Value!, ct);
        return LocalRedirect("/workspaces");
    }
}
