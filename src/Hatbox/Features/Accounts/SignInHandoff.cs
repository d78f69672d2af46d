using System.Security.Cryptography;
using System.Text;
using Hatbox.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Accounts;

/// <summary>
/// One sign-in for every host. Session cookies are <c>__Host-</c> cookies, one per host (a cookie
/// for <c>.localhost</c> would be a cookie for a public suffix, which browsers refuse), so a
/// workspace host gets its own session by a handoff from the portal host:
/// <list type="number">
/// <item>the workspace host sets a random browser nonce in a <c>__Host-</c> cookie and sends the
/// browser to the portal host with the nonce's hash (<see cref="BrowserBinding"/>);</item>
/// <item>the portal host, signed in, issues a token for that host, that hash and its session: a
/// single-use secret (stored as a hash, valid <see cref="AccountOptions.HandoffSeconds"/>) inside a
/// Data Protection envelope that signs the host and hash;</item>
/// <item>the workspace host checks the signature, its own host name and the browser's nonce, spends
/// the secret, and starts a session that belongs to the portal host's sign-in.</item>
/// </list>
/// A token sent to another browser (login CSRF) fails the nonce check; a replayed or late one
/// fails the redemption; signing out anywhere ends the sign-in and every session handed off from it.
/// </summary>
internal sealed class SignInHandoff(
    AccountTokens tokens, SessionService sessions, HatboxDbContext db, IDataProtectionProvider protection, IOptions<AccountOptions> options)
{
    public const string NonceCookie = "__Host-hatbox-handoff";

    readonly IDataProtector _protector = protection.CreateProtector("Hatbox.Accounts.SignInHandoff.v1");

    public static string NewNonce() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>What the portal host learns about the browser: the nonce's hash, never the nonce.</summary>
    public static string BrowserBinding(string nonce) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(nonce)));

    /// <summary>On the portal host: a token that carries <paramref name="sessionId"/>'s sign-in to <paramref name="slug"/>'s host, or null if that session has ended.</summary>
    public async Task<string?> IssueAsync(string userId, string sessionId, string slug, string binding, CancellationToken cancellationToken)
    {
        var signIn = await sessions.SignInOfAsync(sessionId, userId, cancellationToken);
        if (signIn is null || binding.Length is 0 or > 64)
        {
            return null;
        }
        var subject = Subject(slug, binding);
        var secret = tokens.Issue(userId, AccountTokenPurposes.Handoff, subject, TimeSpan.FromSeconds(options.Value.HandoffSeconds), signIn);
        await db.SaveChangesAsync(cancellationToken);
        return _protector.Protect(subject + "\n" + secret);
    }

    /// <summary>
    /// On the workspace host: spends the token if it was signed by us for this host and this
    /// browser, and starts the session. False for anything else, and then no session is made.
    /// </summary>
    public async Task<bool> CompleteAsync(HttpContext http, string? slug, string? token, string? nonce, CancellationToken cancellationToken)
    {
        if (slug is null || string.IsNullOrEmpty(token) || token.Length > 2000 || string.IsNullOrEmpty(nonce) || nonce.Length > 100)
        {
            return false;
        }
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            // Tampered, truncated, or signed with keys that are not ours.
            return false;
        }
        var separator = payload.LastIndexOf('\n');
        var subject = payload[..Math.Max(separator, 0)];
        if (separator < 0 || subject != Subject(slug, BrowserBinding(nonce)))
        {
            return false;
        }
        var redeemed = await tokens.RedeemAsync(payload[(separator + 1)..], AccountTokenPurposes.Handoff, cancellationToken);
        if (redeemed is null || redeemed.Subject != subject || redeemed.SessionId is not { } signIn
            || await sessions.SignInOfAsync(signIn, redeemed.UserId, cancellationToken) != signIn)
        {
            // Used, expired, or its sign-in has ended since it was issued.
            return false;
        }
        await sessions.StartAsync(http, redeemed.UserId, signIn, cancellationToken);
        return true;
    }

    static string Subject(string slug, string binding) => $"{slug}|{binding}";
}
