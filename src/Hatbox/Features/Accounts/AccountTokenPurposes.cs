namespace Hatbox.Features.Accounts;

internal static class AccountTokenPurposes
{
    public const string VerifyEmail = "verify_email";
    public const string ResetPassword = "reset_password";
    public const string Handoff = "handoff";
}
