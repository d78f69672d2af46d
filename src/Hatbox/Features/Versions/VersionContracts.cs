namespace Hatbox.Features.Versions;

internal sealed record VersionResponse(string Name, string Summary, IReadOnlyList<string> Changes, bool Current);

internal sealed record OrganizationVersionResponse(
    string OrganizationId, string? ApiVersion, string? PreviousApiVersion, DateTimeOffset? ChangedAt, DateTimeOffset? RollbackUntil);

internal sealed record VersionCatalogResponse(
    string CurrentVersion, IReadOnlyList<VersionResponse> Versions, IReadOnlyList<OrganizationVersionResponse> Organizations);

internal sealed record SetApiVersionRequest(string? Version);

internal sealed record NotificationPreferences(bool NewVersions);

/// <summary>A change of preferences: a missing field is refused, never read as "off".</summary>
internal sealed record SetNotificationPreferencesRequest(bool? NewVersions);
