using Hatbox.Common.Errors;

namespace Hatbox.Pipeline;

/// <summary>
/// The <c>WWW-Authenticate</c> header that every 401 must carry (RFC 9110 §15.5.2), in RFC 6750's
/// Bearer form: <c>error="invalid_token"</c> when a key was sent but is bad, revoked or expired, and no
/// error when none was sent (RFC 6750 §3.1: a request without credentials gets no error code).
/// </summary>
internal static class BearerChallenge
{
    const string Plain = "Bearer realm=\"hatbox\"";
    const string InvalidToken = "Bearer realm=\"hatbox\", error=\"invalid_token\"";

    public static string For(string code) => code switch
    {
        ErrorCodes.InvalidApiKey or ErrorCodes.ApiKeyRevoked or ErrorCodes.ApiKeyExpired or ErrorCodes.InvalidOrgKey => InvalidToken,
        _ => Plain,
    };
}
