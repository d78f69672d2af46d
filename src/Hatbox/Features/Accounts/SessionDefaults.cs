namespace Hatbox.Features.Accounts;

/// <summary>Names of the portal's cookie session and its CSRF token.</summary>
internal static class SessionDefaults
{
    public const string Scheme = "Session";
    public const string Policy = "SignedIn";

    /// <summary><c>__Host-</c> makes the browser insist on Secure, Path=/ and no Domain, so no subdomain can plant or read it.</summary>
    public const string CookieName = "__Host-hatbox";
    public const string CsrfCookieName = "__Host-hatbox-csrf";
    public const string CsrfHeaderName = "X-CSRF-TOKEN";

    public const string SessionIdClaim = "hatbox:session_id";
}
