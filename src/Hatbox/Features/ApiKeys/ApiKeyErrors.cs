using Hatbox.Common.Errors;

namespace Hatbox.Features.ApiKeys;

/// <summary>Every answer the key stage can give instead of letting a request through.</summary>
internal static class ApiKeyErrors
{
    public static readonly ApiError Missing = Unauthorized(ErrorCodes.MissingApiKey,
        "No API key. Send it as 'Authorization: Bearer <key>'.");

    public static readonly ApiError Invalid = Unauthorized(ErrorCodes.InvalidApiKey, "The API key is not valid.");

    public static readonly ApiError Revoked = Unauthorized(ErrorCodes.ApiKeyRevoked,
        "This API key was revoked. Create a new one on the API Tokens screen.");

    public static readonly ApiError Expired = Unauthorized(ErrorCodes.ApiKeyExpired,
        "This API key has expired. Create a new one on the API Tokens screen.");

    public static readonly ApiError OrgKeyMismatch = Unauthorized(ErrorCodes.InvalidOrgKey,
        "The ORG key does not belong to this API key's organization.");

    public static readonly ApiError Multiple = ApiError.BadRequest(ErrorCodes.MultipleApiKeys,
        "The request carries more than one API key; send exactly one.", "Authorization");

    public static readonly ApiError AccessDisabled = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission,
        ErrorCodes.ApiAccessDisabled,
        "The member who created this key has no API access. Ask a workspace admin to make them a developer with API access.");

    static ApiError Unauthorized(string code, string message) =>
        new(StatusCodes.Status401Unauthorized, ErrorTypes.Authentication, code, message);
}
