using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Notifications;
using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Accounts;

/// <summary>
/// Proof that a person owns their address: a single-use link sent to it. Until then the account
/// joins no workspace by invitation, so signing up with someone else's address gains nothing.
/// </summary>
internal sealed class EmailVerification(
    HatboxDbContext db, AccountTokens tokens, AccountLinks links, InvitationService invitations, TimeProvider time,
    IOptions<AccountOptions> options)
{
    public static readonly ApiError LinkInvalid = ApiError.BadRequest(ErrorCodes.TokenInvalid,
        "This link is unknown, used or expired. Ask for a new one.", "token");

    /// <summary>Queues the link in the outbox; the caller saves (with the account, for a sign-up).</summary>
    public async Task QueueLinkAsync(User user, CancellationToken cancellationToken)
    {
        var token = tokens.Issue(user.Id, AccountTokenPurposes.VerifyEmail, user.Email, TimeSpan.FromHours(options.Value.VerificationLinkHours));
        await Outbox.EnqueueAsync(db, time, $"verify:{Ids.New("v")}", user.Email, "Confirm your e-mail address for Hatbox",
            $"""
            Hello {user.Name},

            Open this link to confirm that {user.Email} is yours:

            {links.VerifyEmail(token)}

            The link works once, for {options.Value.VerificationLinkHours} hours. If you did not sign up for Hatbox, ignore this e-mail.
            """, cancellationToken);
    }

    /// <summary>Sends a new link to a signed-in user who has not verified yet; nothing for one who has.</summary>
    public async Task ResendAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || user.EmailVerifiedAt is not null)
        {
            return;
        }
        await QueueLinkAsync(user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Spends the link, marks the address verified and accepts the invitations waiting for it.</summary>
    public async Task<Outcome<User>> VerifyAsync(string? token, CancellationToken cancellationToken)
    {
        var redeemed = await tokens.RedeemAsync(token, AccountTokenPurposes.VerifyEmail, cancellationToken);
        var user = redeemed is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == redeemed.UserId, cancellationToken);
        // The link proves the address it was sent to, not whatever the account's address is now.
        if (user is null || user.Email != redeemed!.Subject)
        {
            return LinkInvalid;
        }
        user.EmailVerifiedAt ??= time.GetUtcNow();
        await invitations.AcceptPendingAsync(user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }
}
