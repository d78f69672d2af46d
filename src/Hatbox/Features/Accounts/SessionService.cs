using System.Security.Claims;
using Hatbox.Common;
using Hatbox.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Accounts;

/// <summary>
/// Cookie sessions kept server-side: the cookie carries the user id and a session id, and a row in
/// <c>sessions</c> must exist for that id. Shared by the <c>/v1</c> API and the portal.
/// </summary>
internal sealed class SessionService(HatboxDbContext db, TimeProvider time, IOptions<AccountOptions> options)
{
    TimeSpan Lifetime => TimeSpan.FromDays(options.Value.SessionDays);

    /// <summary>Starts a new session and sets its cookie, ending the browser's previous one.</summary>
    public async Task StartAsync(HttpContext http, User user, CancellationToken cancellationToken)
    {
        // A fresh id at every sign-in: a session id known before sign-in (fixation) is worth nothing after it.
        await EndAsync(http.User, cancellationToken);
        var now = time.GetUtcNow();
        await db.Sessions.Where(s => s.UserId == user.Id && s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var session = new Session { Id = Ids.New("sess"), UserId = user.Id, CreatedAt = now, ExpiresAt = now + Lifetime };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(SessionDefaults.SessionIdClaim, session.Id)],
            SessionDefaults.Scheme);
        await http.SignInAsync(SessionDefaults.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
    }

    /// <summary>Deletes the session row first, then the cookie: a copy of the cookie kept elsewhere stops working too.</summary>
    public async Task SignOutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        await EndAsync(http.User, cancellationToken);
        await http.SignOutAsync(SessionDefaults.Scheme);
    }

    /// <summary>
    /// Called for every cookie: false when the session was ended or has expired. Slides the expiry
    /// (and asks for a fresh cookie) once less than half the lifetime is left, so a busy session
    /// writes at most once every few days.
    /// </summary>
    public async Task<SessionCheck> CheckAsync(string sessionId, string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expiresAt = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == sessionId && s.UserId == userId)
            .Select(s => (DateTimeOffset?)s.ExpiresAt).FirstOrDefaultAsync(cancellationToken);
        if (expiresAt is not { } expires || expires <= now)
        {
            return SessionCheck.Ended;
        }
        if (expires - now >= Lifetime / 2)
        {
            return SessionCheck.Valid;
        }
        var renewed = now + Lifetime;
        await db.Sessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, renewed), cancellationToken);
        return SessionCheck.Renewed;
    }

    async Task EndAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (SignedInUser.From(principal) is { } current)
        {
            await db.Sessions.Where(s => s.Id == current.SessionId).ExecuteDeleteAsync(cancellationToken);
        }
    }

    internal enum SessionCheck { Valid, Renewed, Ended }
}
