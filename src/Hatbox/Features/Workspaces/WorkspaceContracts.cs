namespace Hatbox.Features.Workspaces;

internal sealed record CreateWorkspaceRequest(string? Name, string? Slug, string? OrganizationName, string? Plan);

internal sealed record WorkspaceResponse(
    string Id, string Slug, string Name, string OrganizationId, string OrgKey, string Role, bool ApiAccess, DateTimeOffset CreatedAt);

internal sealed record MemberResponse(string UserId, string Email, string Name, string Role, bool ApiAccess, DateTimeOffset JoinedAt);

internal sealed record UpdateMemberRequest(string? Role, bool? ApiAccess);

internal sealed record InviteMemberRequest(string? Email, string? Role);

/// <summary>
/// The portal's "create workspace" form. No plan: a new organization starts on the default plan,
/// and plans change through billing, never through this body.
/// </summary>
internal sealed record NewWorkspaceRequest(string? Name, string? Slug, string? OrganizationName);
