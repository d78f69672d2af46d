using Hatbox.Common.Errors;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Hatbox.Portal;

internal static class ModelStateErrors
{
    /// <summary>
    /// Shows a service's refusal next to the form field it names (its <c>param</c>, e.g. <c>email</c>
    /// → <c>Email</c>), or above the form when it names none.
    /// </summary>
    public static void AddApiError(this ModelStateDictionary modelState, ApiError error, string? fieldPrefix = null)
    {
        var field = error.Param is { Length: > 0 } param ? fieldPrefix + char.ToUpperInvariant(param[0]) + param[1..] : "";
        modelState.AddModelError(field, error.Message);
    }
}
