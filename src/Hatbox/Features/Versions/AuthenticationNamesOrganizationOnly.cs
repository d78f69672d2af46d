using System.Text.Json.Nodes;

namespace Hatbox.Features.Versions;

/// <summary>
/// 2025-10-28 renamed <c>organization</c> to <c>organizationId</c> in <c>POST /authentication</c> and added
/// <c>workspaceId</c>, <c>keyId</c>, <c>role</c> and <c>plan</c>. Older versions get the old answer.
/// </summary>
internal sealed class AuthenticationNamesOrganizationOnly : IVersionChange
{
    public IReadOnlyList<string> Operations { get; } = ["CheckApiKey", "CheckApiKeyWithGet"];

    public void Downgrade(JsonObject response)
    {
        if (response.Remove("organizationId", out var organization))
        {
            response["organization"] = organization;
        }
        response.Remove("workspaceId");
        response.Remove("keyId");
        response.Remove("role");
        response.Remove("plan");
    }
}
