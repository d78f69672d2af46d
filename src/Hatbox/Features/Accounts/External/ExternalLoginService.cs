using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Accounts.External;

/// <summary>
/// Who a Google or Microsoft sign-in is. A known (provider, subject) is its user. Otherwise the
/// e-mail decides, and only when the provider says it verified it (<c>email_verified</c>): then it
/// links to the account with that address, or makes a new account whose address counts as
/// verified. An unverified address never links to an existing account; it may make a new one,
/// which then verifies by link like any sign-up.
/// </summary>
internal sealed class ExternalLoginService(
    HatboxDbContext db, InvitationService invitations, EmailVerification verification, TimeProvider time)
{
    public static readonly ApiError Unusable = ApiError.BadRequest(ErrorCodes.ExternalLoginFailed,
        "The provider's sign-in could not be used: it failed, was replayed, or named no subject and e-mail address.");

    public static readonly ApiError UnverifiedAddressTaken = new(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest,
        ErrorCodes.EmailTaken,
        "An account with this address exists, and the provider did not confirm that the address is yours. Sign in with your password.",
        "email");

    public sealed record Identity(string Provider, string Subject, string? Email, bool EmailVerified, string? Name);

    public async Task<Outcome<User>> SignInAsync(Identity identity, CancellationToken cancellationToken)
    {
        if (identity.Subject.Length is 0 or > 255)
        {
            return Unusable;
        }
        var linked = await (from l in db.ExternalLogins
                            join u in db.Users on l.UserId equals u.Id
                            where l.Provider == identity.Provider && l.Subject == identity.Subject
                            select u).FirstOrDefaultAsync(cancellationToken);
        if (linked is not null)
        {
            return linked;
        }
        var email = AccountService.NormalizeEmail(identity.Email);
        if (email is null)
        {
            return Unusable;
        }
        var now = time.GetUtcNow();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is not null && !identity.EmailVerified)
        {
            return UnverifiedAddressTaken;
        }
        if (user is null)
        {
            var name = identity.Name?.Trim();
            user = new User
            {
                Id = Ids.New("usr"),
                Email = email,
                Name = string.IsNullOrEmpty(name) || name.Length > AccountService.MaxNameLength || name.Any(char.IsControl) ? email : name,
                // No password: this account signs in through the provider (or sets one by a reset link).
                PasswordHash = "",
                CreatedAt = now,
            };
            db.Users.Add(user);
            if (!identity.EmailVerified)
            {
                await verification.QueueLinkAsync(user, cancellationToken);
            }
        }
        if (identity.EmailVerified)
        {
            user.EmailVerifiedAt ??= now;
        }
        db.ExternalLogins.Add(new ExternalLogin
        {
            Provider = identity.Provider,
            Subject = identity.Subject,
            UserId = user.Id,
            Email = email,
            CreatedAt = now,
        });
        await invitations.AcceptPendingAsync(user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }
}
