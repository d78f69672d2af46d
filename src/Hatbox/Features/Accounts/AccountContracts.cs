using Hatbox.Features.Workspaces;

namespace Hatbox.Features.Accounts;

internal sealed record SignUpRequest(string? Email, string? Password, string? Name);

internal sealed record SignInRequest(string? Email, string? Password);

internal sealed record UserResponse(string Id, string Email, string Name, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user) => new(user.Id, user.Email, user.Name, user.CreatedAt);
}

/// <summary><c>GET /v1/me</c>: the signed-in user and every workspace they belong to, with their role there.</summary>
internal sealed record MeResponse(UserResponse User, IReadOnlyList<WorkspaceResponse> Workspaces);

/// <summary>Send <see cref="Token"/> in the <see cref="HeaderName"/> header with every change made in this session.</summary>
internal sealed record AntiforgeryTokenResponse(string Token, string HeaderName);
