using System.Security.Claims;
using Hatbox.Common;

namespace Hatbox.Features.Accounts;

/// <summary>
/// The user behind the session cookie, as a handler parameter. Only endpoints behind
/// <see cref="SessionDefaults.Policy"/> take it, so the claims are always there.
/// </summary>
internal sealed record SignedInUser(string UserId, string SessionId)
{
    /// <summary>Who the audit log names for changes made in this session.</summary>
    public Actor Actor => new(UserId);

    public static ValueTask<SignedInUser?> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));

    public static SignedInUser? From(ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
        && principal.FindFirstValue(SessionDefaults.SessionIdClaim) is { } sessionId
            ? new SignedInUser(userId, sessionId)
            : null;
}
