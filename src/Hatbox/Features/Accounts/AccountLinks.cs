using Hatbox.Features.Storage;

namespace Hatbox.Features.Accounts;

/// <summary>
/// Links that e-mails carry. They start with the configured public address, never a request's
/// Host header: a reset link built from an attacker's Host would send the token to the attacker.
/// </summary>
internal sealed class AccountLinks(PublicBaseUrl baseUrl)
{
    public string VerifyEmail(string token) => $"{baseUrl.Value}/verify-email?token={Uri.EscapeDataString(token)}";

    public string ResetPassword(string token) => $"{baseUrl.Value}/reset-password?token={Uri.EscapeDataString(token)}";

    public string SignIn => $"{baseUrl.Value}/signin";

    /// <summary>The sign-up page with the address filled in, for an invitation to someone without an account yet.</summary>
    public string SignUp(string email) => $"{baseUrl.Value}/signup?email={Uri.EscapeDataString(email)}";
}
