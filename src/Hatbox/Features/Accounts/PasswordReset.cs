using Hatbox.Common;
using Hatbox.Data;
using Hatbox.Features.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Accounts;

/// <summary>
/// Forgotten passwords: a single-use link by e-mail, valid for an hour by default. Asking answers
/// the same whether or not the address has an account; using the link sets the new password,
/// spends every other reset link and ends every session of the account, on every host.
/// </summary>
internal sealed class PasswordReset(
    HatboxDbContext db, AccountTokens tokens, AccountLinks links, IPasswordHasher<User> hasher, TimeProvider time,
    IOptions<AccountOptions> options)
{
    public async Task RequestAsync(string? email, CancellationToken cancellationToken)
    {
        var normalized = AccountService.NormalizeEmail(email);
        var user = normalized is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null)
        {
            return;
        }
        var minutes = options.Value.PasswordResetMinutes;
        var token = tokens.Issue(user.Id, AccountTokenPurposes.ResetPassword, user.Email, TimeSpan.FromMinutes(minutes));
        await Outbox.EnqueueAsync(db, time, $"reset:{Ids.New("r")}", user.Email, "Reset your Hatbox password",
            $"""
            Hello {user.Name},

            Someone (we hope you) asked to reset the password of {user.Email}. Open this link to choose a new one:

            {links.ResetPassword(token)}

            The link works once, for {minutes} minutes. If you did not ask, ignore this e-mail: your password stays as it is.
            """, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Outcome<User>> ResetAsync(string? token, string? newPassword, CancellationToken cancellationToken)
    {
        // The password is checked first, so a too-short one does not spend the link.
        if (AccountService.CheckPassword(newPassword, options.Value) is { } weak)
        {
            return weak;
        }
        var redeemed = await tokens.RedeemAsync(token, AccountTokenPurposes.ResetPassword, cancellationToken);
        var user = redeemed is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == redeemed.UserId, cancellationToken);
        if (user is null || user.Email != redeemed!.Subject)
        {
            return EmailVerification.LinkInvalid;
        }
        user.PasswordHash = hasher.HashPassword(user, newPassword!);
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        // The link reached the address, which is as good a proof of it as a verification link.
        user.EmailVerifiedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await tokens.RevokeAllAsync(user.Id, AccountTokenPurposes.ResetPassword, cancellationToken);
        await tokens.RevokeAllAsync(user.Id, AccountTokenPurposes.Handoff, cancellationToken);
        // Whoever knew the old password (or kept a stolen cookie) is out everywhere.
        await db.Sessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        return user;
    }
}
