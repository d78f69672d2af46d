using System.Security.Cryptography;
using System.Text;
using Hatbox.Common;
using Hatbox.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Accounts;

/// <summary>
/// Issues and redeems <see cref="AccountToken"/>s: 256 random bits, stored as their SHA-256, used at
/// most once. Its clock is a keyed <see cref="TimeProvider"/> (<see cref="ClockKey"/>), so tests can
/// expire links without moving the clock of the server's periodic workers.
/// </summary>
internal sealed class AccountTokens(HatboxDbContext db, [FromKeyedServices(AccountTokens.ClockKey)] TimeProvider time)
{
    public const string ClockKey = "account-tokens";

    /// <summary>Longest token text accepted: anything longer is not one of ours, and is not hashed.</summary>
    public const int MaxTokenLength = 100;

    /// <summary>Adds a token to the unit of work (the caller saves, with whatever sends it) and returns its secret text.</summary>
    public string Issue(string userId, string purpose, string subject, TimeSpan lifetime, string? sessionId = null)
    {
        var secret = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        db.AccountTokens.Add(new AccountToken
        {
            Id = Ids.New("tok"),
            UserId = userId,
            Purpose = purpose,
            TokenHash = Hash(secret),
            Subject = subject,
            SessionId = sessionId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        return secret;
    }

    /// <summary>
    /// Marks the token used and returns it, or null when it is unknown, of another purpose, expired
    /// or already used: one answer for all, so a refusal tells nothing about the token.
    /// </summary>
    public async Task<AccountToken?> RedeemAsync(string? secret, string purpose, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > MaxTokenLength)
        {
            return null;
        }
        var hash = Hash(secret);
        var now = time.GetUtcNow();
        // The check and the mark are one statement: two requests racing with one token cannot both win.
        var claimed = await db.AccountTokens
            .Where(t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken);
        return claimed == 1
            ? await db.AccountTokens.AsNoTracking().FirstAsync(t => t.TokenHash == hash, cancellationToken)
            : null;
    }

    /// <summary>Spends every open token of this purpose for the user (a new password makes older reset links worthless).</summary>
    public Task RevokeAllAsync(string userId, string purpose, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.AccountTokens.Where(t => t.UserId == userId && t.Purpose == purpose && t.UsedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken);
    }

    static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
