using Hatbox.Common.Errors;

namespace Hatbox.Features.Accounts;

/// <summary>The answers the session stage gives instead of a redirect to a login page.</summary>
internal static class SessionErrors
{
    public static readonly ApiError NotSignedIn = new(StatusCodes.Status401Unauthorized, ErrorTypes.Authentication,
        ErrorCodes.Unauthenticated, "Sign in first: this endpoint needs a signed-in session.");

    public static readonly ApiError Forbidden = ApiError.Forbidden("Your account may not do this.");

    public static readonly ApiError CsrfTokenInvalid = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission,
        ErrorCodes.CsrfTokenInvalid,
        $"Send the token from GET /v1/antiforgery in the {SessionDefaults.CsrfHeaderName} header with every change.");
}
