using System.Net;
using System.Text.Json;

namespace Hatbox.Tests.Management;

/// <summary>What a person does in the portal, each step through the <c>/v1</c> API and asserted to succeed.</summary>
internal static class PortalSteps
{
    public static string NewSlug() => "ws-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Creates a workspace (the caller becomes its admin with API access) and returns its id.</summary>
    public static async Task<string> CreateWorkspaceAsync(this Person admin, string? slug = null)
    {
        using var response = await admin.SendAsync(HttpMethod.Post, "/v1/workspaces",
            new { name = "Test workspace", slug = slug ?? NewSlug(), organizationName = "Test org" });
        return (await Person.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    /// <summary>Invites <paramref name="person"/>, whose account exists, so they join at once; then sets their API access.</summary>
    public static async Task AddMemberAsync(this Person admin, string workspaceId, Person person, string role, bool apiAccess)
    {
        using (var invited = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations", new { email = person.Email, role }))
        {
            await Person.ReadAsync(invited, HttpStatusCode.Created);
        }
        if (apiAccess)
        {
            await admin.UpdateMemberAsync(workspaceId, person.UserId, new { apiAccess = true });
        }
    }

    public static async Task<JsonElement> UpdateMemberAsync(this Person admin, string workspaceId, string userId, object change)
    {
        using var response = await admin.SendAsync(HttpMethod.Patch, $"/v1/workspaces/{workspaceId}/members/{userId}", change);
        return await Person.ReadAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Creates a key as this person and returns the created answer, the only one with the secret.</summary>
    public static async Task<JsonElement> CreateKeyAsync(this Person person, string workspaceId, string name = "test key")
    {
        using var response = await person.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/keys", new { name });
        return await Person.ReadAsync(response, HttpStatusCode.Created);
    }
}
