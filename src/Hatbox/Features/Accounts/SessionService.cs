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
    public Task StartAsync(HttpContext http, User user, CancellationToken cancellationToken) =>
        StartAsync(http, user.Id, signInId: null, cancellationToken);

    /// <summary>
    /// Starts a session on this host that belongs to the sign-in <paramref name="signInId"/> made on
    /// another host (a handoff): it ends when that sign-in ends.
    /// </summary>
    public async Task StartAsync(HttpContext http, string userId, string? signInId, CancellationToken cancellationToken)
    {
        // A fresh id at every sign-in: a session id known before sign-in (fixation) is worth nothing after it.
        // Only this browser's own row ends: a handoff must not end the sign-in it comes from.
        if (SignedInUser.From(http.User) is { } previous)
        {
            await db.Sessions.Where(s => s.Id == previous.SessionId).ExecuteDeleteAsync(cancellationToken);
        }
        var now = time.GetUtcNow();
        await db.Sessions.Where(s => s.UserId == userId && s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var session = new Session { Id = Ids.New("sess"), UserId = userId, CreatedAt = now, ExpiresAt = now + Lifetime, SignInId = signInId };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId), new Claim(SessionDefaults.SessionIdClaim, session.Id)],
            SessionDefaults.Scheme);
        await http.SignInAsync(SessionDefaults.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
    }

    /// <summary>
    /// Deletes the session row first, then the cookie: a copy of the cookie kept elsewhere stops
    /// working too. Signing out on any host ends the whole sign-in: the session it started from
    /// and every session handed off from that one, on every workspace host.
    /// </summary>
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

    /// <summary>The sign-in a live session belongs to (its own id, or the one it was handed off from); null when it has ended.</summary>
    public async Task<string?> SignInOfAsync(string sessionId, string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == sessionId && s.UserId == userId && s.ExpiresAt > now)
            .Select(s => new { s.Id, s.SignInId }).FirstOrDefaultAsync(cancellationToken);
        return session is null ? null : session.SignInId ?? session.Id;
    }

    async Task EndAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (SignedInUser.From(principal) is not { } current)
        {
            return;
        }
        var signIn = await db.Sessions.AsNoTracking().Where(s => s.Id == current.SessionId)
            .Select(s => s.SignInId ?? s.Id).FirstOrDefaultAsync(cancellationToken) ?? current.SessionId;
        await db.Sessions.Where(s => s.Id == signIn || s.SignInId == signIn).ExecuteDeleteAsync(cancellationToken);
    }

    internal enum SessionCheck { Valid, Renewed, Ended }
}
