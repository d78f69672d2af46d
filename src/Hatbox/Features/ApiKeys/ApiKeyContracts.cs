namespace Hatbox.Features.ApiKeys;

/// <summary>A key as lists show it: never the secret.</summary>
internal sealed record ApiKeyResponse(
    string Id, string Name, string Hint, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>The answer to a create: the only time <see cref="ApiKey"/> (the secret) is ever shown.</summary>
internal sealed record CreatedApiKeyResponse(
    string KeyId, string ApiKey, string Name, string Hint, string WorkspaceId, string OrganizationId,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

internal sealed record CreateApiKeyRequest(string? Name, DateTimeOffset? ExpiresAt);

/// <summary><c>POST /authentication</c>: who this key is.</summary>
internal sealed record AuthenticationResponse(
    bool Success, string Status, string OrganizationId, string OrgKey, string WorkspaceId, string Workspace,
    string KeyId, string Role, string Plan, string ApiVersion);
