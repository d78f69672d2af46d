using Hatbox.Features.Workspaces;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// What a verified key stands for at this moment: its workspace and organization (which is billed),
/// and its creator's current role and API access, which decide what the key may do.
/// </summary>
internal sealed record ApiCaller(
    string KeyId,
    string WorkspaceId,
    string WorkspaceSlug,
    string OrganizationId,
    string Plan,
    string? PinnedApiVersion,
    string CreatorUserId,
    WorkspaceRole? CreatorRole,
    bool CreatorApiAccess,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    byte[] SecretHash)
{
    public bool CreatorIsMember => CreatorRole is not null;

    public bool CanUseApi => CreatorRole >= WorkspaceRole.Developer && CreatorApiAccess;

    /// <summary>Lets handlers behind <see cref="ApiKeyStage"/> take an <c>ApiCaller</c> parameter.</summary>
    public static ValueTask<ApiCaller?> BindAsync(HttpContext context) => ValueTask.FromResult(context.Features.Get<ApiCaller>());
}
