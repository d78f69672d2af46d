using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Versions;

/// <summary>The catalog, upgrades and rollbacks, and the e-mail subscription through <c>/v1</c>.</summary>
public sealed class VersionManagementTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    static async Task<string> OrganizationOfAsync(Person person, string workspaceId)
    {
        using var response = await person.GetAsync($"/v1/workspaces/{workspaceId}");
        return (await Person.ReadAsync(response, HttpStatusCode.OK)).GetProperty("organizationId").GetString()!;
    }

    [Fact]
    public async Task TheCatalogListsEveryVersionWithItsChangelogAndTheCallersPin()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var organizationId = await OrganizationOfAsync(admin, workspaceId);

        using var response = await admin.GetAsync("/v1/versions");

        var catalog = await Person.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal("2025-10-28", catalog.GetProperty("currentVersion").GetString());
        var versions = catalog.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(["2025-10-28", "2025-06-01"], versions.Select(v => v.GetProperty("name").GetString()));
        Assert.NotEmpty(versions[0].GetProperty("changes").EnumerateArray());
        var organization = Assert.Single(catalog.GetProperty("organizations").EnumerateArray());
        Assert.Equal(organizationId, organization.GetProperty("organizationId").GetString());
    }

    [Fact]
    public async Task AnAdminUpgradesAndRollsBackAndAnUpgradeCannotGoBackward()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var organizationId = await OrganizationOfAsync(admin, workspaceId);
        var path = $"/v1/organizations/{organizationId}/api-version";

        using var backward = await admin.SendAsync(HttpMethod.Put, path, new { version = "2025-06-01" });
        await ErrorAssert.IsErrorAsync(backward, HttpStatusCode.Conflict, "version_downgrade_not_allowed");
        using var unknown = await admin.SendAsync(HttpMethod.Put, path, new { version = "2030-01-01" });
        await ErrorAssert.IsErrorAsync(unknown, HttpStatusCode.BadRequest, "invalid_api_version");
        using var noRollback = await admin.SendAsync(HttpMethod.Post, $"{path}/rollbacks");
        await ErrorAssert.IsErrorAsync(noRollback, HttpStatusCode.Conflict, "rollback_not_available");
    }

    [Fact]
    public async Task OnlyAdminsChangeTheVersionAndStrangersSeeNothing()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var developer = await Person.SignUpAsync(_server);
        using var stranger = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        await admin.AddMemberAsync(workspaceId, developer, "developer", apiAccess: true);
        var path = $"/v1/organizations/{await OrganizationOfAsync(admin, workspaceId)}/api-version";

        using var byDeveloper = await developer.SendAsync(HttpMethod.Put, path, new { version = "2025-10-28" });
        using var byStranger = await stranger.SendAsync(HttpMethod.Put, path, new { version = "2025-10-28" });
        using var anonymous = await Person.Anonymous(_server).SendAsync(HttpMethod.Put, path, new { version = "2025-10-28" });

        await ErrorAssert.IsErrorAsync(byDeveloper, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await ErrorAssert.IsErrorAsync(byStranger, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAssert.IsErrorAsync(anonymous, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
    }

    [Fact]
    public async Task NewVersionEmailsAreOptInAndCanBeSwitchedOff()
    {
        using var user = await Person.SignUpAsync(_server);

        using var initial = await user.GetAsync("/v1/me/notification-preferences");
        Assert.False((await Person.ReadAsync(initial, HttpStatusCode.OK)).GetProperty("newVersions").GetBoolean());
        using var on = await user.SendAsync(HttpMethod.Put, "/v1/me/notification-preferences", new { newVersions = true });
        Assert.True((await Person.ReadAsync(on, HttpStatusCode.OK)).GetProperty("newVersions").GetBoolean());
        using var off = await user.SendAsync(HttpMethod.Put, "/v1/me/notification-preferences", new { newVersions = false });
        Assert.False((await Person.ReadAsync(off, HttpStatusCode.OK)).GetProperty("newVersions").GetBoolean());
    }
}
