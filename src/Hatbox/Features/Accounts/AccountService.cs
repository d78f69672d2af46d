using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Accounts;

/// <summary>Sign-up and sign-in with PBKDF2 passwords and lockout; invitations are accepted on both.</summary>
internal sealed class AccountService(
    HatboxDbContext db, IPasswordHasher<User> hasher, InvitationService invitations, EmailVerification verification, TimeProvider time,
    IOptions<AccountOptions> options)
{
    /// <summary>One answer for unknown e-mail, wrong password and locked account, so none of them reveals that an account exists.</summary>
    public static readonly ApiError SignInFailed = new(StatusCodes.Status401Unauthorized, ErrorTypes.Authentication,
        ErrorCodes.InvalidCredentials, "E-mail or password is wrong, or the account is locked for a while after too many attempts.");

    /// <summary>
    /// A new account, its address unverified: a link to verify it goes out by e-mail. Only an
    /// operator (<c>hatbox admin bootstrap</c>) vouches for an address with <paramref name="emailVouchedFor"/>.
    /// </summary>
    public async Task<Outcome<User>> SignUpAsync(string? email, string? password, string? name, CancellationToken cancellationToken,
        bool emailVouchedFor = false)
    {
        var normalized = NormalizeEmail(email);
        if (normalized is null)
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "A valid e-mail address is required.", "email");
        }
        if (CheckPassword(password, options.Value) is { } weak)
        {
            return weak;
        }
        if (name is { Length: > MaxNameLength } || (name is not null && name.Any(char.IsControl)))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, $"A name has at most {MaxNameLength} characters and no control characters.", "name");
        }
        if (await db.Users.AnyAsync(u => u.Email == normalized, cancellationToken))
        {
            return new ApiError(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, ErrorCodes.EmailTaken,
                "An account with this e-mail address exists. Sign in instead.", "email");
        }
        var user = new User
        {
            Id = Ids.New("usr"),
            Email = normalized,
            Name = string.IsNullOrWhiteSpace(name) ? normalized : name.Trim(),
            PasswordHash = "",
            CreatedAt = time.GetUtcNow(),
        };
        user.PasswordHash = hasher.HashPassword(user, password!);
        db.Users.Add(user);
        if (emailVouchedFor)
        {
            user.EmailVerifiedAt = user.CreatedAt;
            await invitations.AcceptPendingAsync(user, cancellationToken);
        }
        else
        {
            // No invitation is accepted here: the address is unproven until the link is used.
            await verification.QueueLinkAsync(user, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    public async Task<Outcome<User>> SignInAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        var normalized = NormalizeEmail(email);
        var user = normalized is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        var now = time.GetUtcNow();
        if (user is null || password is null || password.Length > MaxPasswordLength)
        {
            // Spend the same time as a real check, so timing does not tell whether the account exists.
            hasher.VerifyHashedPassword(DecoyUser, DecoyHash(), password ?? "");
            return SignInFailed;
        }
        if (user.LockedUntil > now)
        {
            hasher.VerifyHashedPassword(DecoyUser, DecoyHash(), password);
            return SignInFailed;
        }
        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= options.Value.MaxFailedSignIns)
            {
                user.LockedUntil = now.AddMinutes(options.Value.LockoutMinutes);
                user.FailedSignIns = 0;
            }
            await db.SaveChangesAsync(cancellationToken);
            return SignInFailed;
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await invitations.AcceptPendingAsync(user, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    public Task<User?> FindAsync(string userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);

    /// <summary>Opts the user in to (or out of) the e-mail that announces a new API version.</summary>
    public async Task<bool> SetNewVersionNoticesAsync(string userId, bool subscribed, CancellationToken cancellationToken)
    {
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.NotifyNewVersions, subscribed), cancellationToken);
        return subscribed;
    }

    public const int MaxNameLength = 200;
    public const int MaxPasswordLength = 1024;

    /// <summary>Null when the password may be used; else the refusal, naming <c>password</c>.</summary>
    public static ApiError? CheckPassword(string? password, AccountOptions options) =>
        password is null || password.Length < options.MinPasswordLength || password.Length > MaxPasswordLength
            ? ApiError.BadRequest(ErrorCodes.ParameterInvalid,
                $"A password needs {options.MinPasswordLength} to {MaxPasswordLength} characters.", "password")
            : null;

    /// <summary>
    /// The address lower-cased, or null when it is not one: one <c>@</c>, a local part of at most 64
    /// characters and a domain of dot-separated labels, and nothing that would change a mail
    /// header's meaning (spaces, control characters, quotes, angle brackets, commas).
    /// </summary>
    public static string? NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 320)
        {
            return null;
        }
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at > 64 || at != trimmed.LastIndexOf('@') || at == trimmed.Length - 1)
        {
            return null;
        }
        if (trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || "\"()<>[]\\,;:".Contains(c, StringComparison.Ordinal)))
        {
            return null;
        }
        var domain = trimmed[(at + 1)..];
        return domain.Split('.').All(label => label.Length is > 0 and <= 63) ? trimmed : null;
    }

    static readonly User DecoyUser = new() { Id = "usr_decoy", Email = "decoy@invalid", Name = "decoy", PasswordHash = "" };
    static string? s_decoyHash;

    // Hashed with the configured hasher so a decoy check costs exactly what a real one does.
    string DecoyHash() => s_decoyHash ??= hasher.HashPassword(DecoyUser, Ids.New("decoy"));
}
