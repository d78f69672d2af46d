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

    /// <summary>The caller <see cref="ApiKeyStage"/> verified for this request, or null when the endpoint takes no key.</summary>
    /// <remarks>
    /// Through the feature collection's indexer rather than <c>Get&lt;ApiCaller&gt;()</c>: that is a generic
    /// virtual call, resolved at run time on every call, and every keyed stage asks.
    /// </remarks>
    public static ApiCaller? Of(HttpContext context) => context.Features[typeof(ApiCaller)] as ApiCaller;

    /// <summary>Makes this the request's caller (<see cref="Of"/>).</summary>
    public void AttachTo(HttpContext context) => context.Features[typeof(ApiCaller)] = this;

    /// <summary>Lets handlers behind <see cref="ApiKeyStage"/> take an <c>ApiCaller</c> parameter.</summary>
    public static ValueTask<ApiCaller?> BindAsync(HttpContext context) => ValueTask.FromResult(Of(context));
}
