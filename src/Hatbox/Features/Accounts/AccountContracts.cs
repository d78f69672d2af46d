using Hatbox.Features.Workspaces;

namespace Hatbox.Features.Accounts;

internal sealed record SignUpRequest(string? Email, string? Password, string? Name);

internal sealed record SignInRequest(string? Email, string? Password);

internal sealed record UserResponse(string Id, string Email, string Name, bool EmailVerified, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user) => new(user.Id, user.Email, user.Name, user.EmailVerifiedAt is not null, user.CreatedAt);
}

/// <summary>The token from the link in the verification e-mail.</summary>
internal sealed record VerifyEmailRequest(string? Token);

internal sealed record PasswordResetRequest(string? Email);

/// <summary>The token from the link in the reset e-mail, and the new password.</summary>
internal sealed record CompletePasswordResetRequest(string? Token, string? Password);

/// <summary><c>GET /v1/me</c>: the signed-in user and every workspace they belong to, with their role there.</summary>
internal sealed record MeResponse(UserResponse User, IReadOnlyList<WorkspaceResponse> Workspaces);

/// <summary>Send <see cref="Token"/> in the <see cref="HeaderName"/> header with every change made in this session.</summary>
internal sealed record AntiforgeryTokenResponse(string Token, string HeaderName);
