namespace Hatbox.Features.ApiKeys;

internal static class ApiClaims
{
    public const string KeyId = "hatbox:key_id";
    public const string WorkspaceId = "hatbox:workspace_id";
    public const string OrganizationId = "hatbox:organization_id";
}
