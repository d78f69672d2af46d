using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Accounts;

internal sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>PBKDF2-HMAC-SHA512 rounds; OWASP's 2023 floor is 210,000.</summary>
    [Range(210_000, 10_000_000)] public int PasswordIterations { get; set; } = 210_000;

    [Range(8, 128)] public int MinPasswordLength { get; set; } = 10;

    /// <summary>Failed sign-ins in a row before the account is locked for <see cref="LockoutMinutes"/>.</summary>
    [Range(1, 100)] public int MaxFailedSignIns { get; set; } = 5;

    [Range(1, 1440)] public int LockoutMinutes { get; set; } = 15;

    /// <summary>Sign-in and sign-up attempts per client address per minute, whatever the account.</summary>
    [Range(1, 100_000)] public int SignInAttemptsPerMinute { get; set; } = 60;

    /// <summary>A portal session ends after this many days without use (sliding, checked server-side).</summary>
    [Range(1, 90)] public int SessionDays { get; set; } = 14;

    /// <summary>How long the link that verifies a new account's e-mail address works.</summary>
    [Range(1, 720)] public int VerificationLinkHours { get; set; } = 24;

    /// <summary>How long a password reset link works.</summary>
    [Range(5, 1440)] public int PasswordResetMinutes { get; set; } = 60;

    /// <summary>How long a sign-in handoff to a workspace host works: one redirect's time, not a link to keep.</summary>
    [Range(5, 600)] public int HandoffSeconds { get; set; } = 60;
}
