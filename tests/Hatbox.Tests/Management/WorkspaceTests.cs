using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>Workspaces, members and invitations through <c>/v1</c>.</summary>
public sealed class WorkspaceTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task CreatingAWorkspaceMakesTheCreatorItsAdminWithApiAccess()
    {
        using var admin = await Person.SignUpAsync(_server);
        var slug = PortalSteps.NewSlug();

        using var created = await admin.SendAsync(HttpMethod.Post, "/v1/workspaces", new { name = "Acme", slug, organizationName = "Acme Inc" });
        var workspace = await Person.ReadAsync(created, HttpStatusCode.Created);

        Assert.StartsWith("ws_", workspace.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(slug, workspace.GetProperty("slug").GetString());
        Assert.Equal("admin", workspace.GetProperty("role").GetString());
        Assert.True(workspace.GetProperty("apiAccess").GetBoolean());
        Assert.StartsWith("org_", workspace.GetProperty("orgKey").GetString(), StringComparison.Ordinal);
        using var me = await admin.GetAsync("/v1/me");
        var workspaces = (await Person.ReadAsync(me, HttpStatusCode.OK)).GetProperty("workspaces");
        Assert.Equal(slug, Assert.Single(workspaces.EnumerateArray()).GetProperty("slug").GetString());
    }

    [Fact]
    public async Task TheWorkspaceListIsOnePageWithANullCursor()
    {
        using var admin = await Person.SignUpAsync(_server);
        await admin.CreateWorkspaceAsync();
        await admin.CreateWorkspaceAsync();

        using var response = await admin.GetAsync("/v1/workspaces");
        var page = await Person.ReadAsync(response, HttpStatusCode.OK);

        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task AWorkspaceCanBeNamedByItsSlug()
    {
        using var admin = await Person.SignUpAsync(_server);
        var slug = PortalSteps.NewSlug();
        var id = await admin.CreateWorkspaceAsync(slug);

        using var response = await admin.GetAsync($"/v1/workspaces/{slug}/members");
        var members = await Person.ReadAsync(response, HttpStatusCode.OK);

        Assert.Equal(admin.UserId, Assert.Single(members.GetProperty("items").EnumerateArray()).GetProperty("userId").GetString());
        Assert.StartsWith("ws_", id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATakenSlugIsAConflict()
    {
        using var first = await Person.SignUpAsync(_server);
        using var second = await Person.SignUpAsync(_server);
        var slug = PortalSteps.NewSlug();
        await first.CreateWorkspaceAsync(slug);

        using var response = await second.SendAsync(HttpMethod.Post, "/v1/workspaces", new { slug });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Conflict, ErrorCodes.SlugTaken);
    }

    [Fact]
    public async Task ANewWorkspaceIsOnTheFreePlanWhateverTheBodySays()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var created = await admin.SendAsync(HttpMethod.Post, "/v1/workspaces", new { slug = PortalSteps.NewSlug(), plan = "enterprise" });
        var workspaceId = (await Person.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var key = (await admin.CreateKeyAsync(workspaceId)).GetProperty("apiKey").GetString();

        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication");
        request.Headers.Authorization = new("Bearer", key);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("free", (await Person.ReadAsync(response, HttpStatusCode.OK)).GetProperty("plan").GetString());
    }

    [Fact]
    public async Task TheLastAdminCannotBeDemoted()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var response = await admin.SendAsync(HttpMethod.Patch, $"/v1/workspaces/{workspaceId}/members/{admin.UserId}", new { role = "developer" });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Conflict, ErrorCodes.LastAdmin);
    }

    [Fact]
    public async Task TheLastAdminCannotBeRemoved()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var response = await admin.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{workspaceId}/members/{admin.UserId}");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Conflict, ErrorCodes.LastAdmin);
    }

    [Fact]
    public async Task AnAdminCanStepDownOnceAnotherAdminExists()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var other = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        await admin.AddMemberAsync(workspaceId, other, "admin", apiAccess: false);

        var updated = await admin.UpdateMemberAsync(workspaceId, admin.UserId, new { role = "developer" });

        Assert.Equal("developer", updated.GetProperty("role").GetString());
    }

    [Fact]
    public async Task AnInvitationBecomesAMembershipWhenThatAddressSignsUp()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var email = Person.NewEmail();
        using (var invited = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations", new { email, role = "leader" }))
        {
            await Person.ReadAsync(invited, HttpStatusCode.Created);
        }

        using var newcomer = await Person.SignUpAsync(_server, email);

        using var me = await newcomer.GetAsync("/v1/me");
        var workspace = Assert.Single((await Person.ReadAsync(me, HttpStatusCode.OK)).GetProperty("workspaces").EnumerateArray());
        Assert.Equal(workspaceId, workspace.GetProperty("id").GetString());
        Assert.Equal("leader", workspace.GetProperty("role").GetString());
        Assert.False(workspace.GetProperty("apiAccess").GetBoolean());
        using var list = await admin.GetAsync($"/v1/workspaces/{workspaceId}/invitations");
        var invitation = Assert.Single((await Person.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, invitation.GetProperty("acceptedAt").ValueKind);
    }

    [Fact]
    public async Task AnInvitationWithAnUnknownRoleIsRefused()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var response = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations",
            new { email = Person.NewEmail(), role = "owner" });

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal("role", error.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task UpdatingSomeoneWhoIsNotAMemberIsNotFound()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var response = await admin.SendAsync(HttpMethod.Patch, $"/v1/workspaces/{workspaceId}/members/usr_nobody", new { role = "member" });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}
