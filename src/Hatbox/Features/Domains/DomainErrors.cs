using Hatbox.Common.Errors;

namespace Hatbox.Features.Domains;

internal static class DomainErrors
{
    public const string OriginNotAllowedCode = "origin_not_allowed";

    public static readonly ApiError OriginNotAllowed = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission, OriginNotAllowedCode,
        "Browser calls must come from one of this workspace's Allowed Domains. Add the page's origin on the API Tokens screen.");

    public static readonly ApiError InvalidOrigin = ApiError.BadRequest("invalid_origin",
        "An allowed domain is an origin such as https://app.example.com or https://*.example.com, with no path.", "origin");
}
