using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hatbox.Portal.Pages;

/// <summary>
/// The providers' callback address. A configured provider's handler answers it before this page
/// runs (the page exists so the authentication middleware runs for the path); anything that gets
/// here names no configured provider.
/// </summary>
internal sealed class ExternalCallbackModel : PageModel
{
    public IActionResult OnGet() => NotFound();
}
