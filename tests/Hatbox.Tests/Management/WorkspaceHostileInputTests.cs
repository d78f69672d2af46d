using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>Workspaces, members and invitations against bad slugs and names and against ids from someone else's workspace.</summary>
public sealed class WorkspaceHostileInputTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    public static readonly TheoryData<string> BadSlugs = new()
    {
        "ab", "1abc", "-abc", "ab_c", "ab.c", "ab c", "ab/c", "../etc", "abc%00", "ａｂｃ", "ab\u0000c",
        "a" + new string('b', 63), "' OR 1=1 --", "",
    };

    [Theory]
    [MemberData(nameof(BadSlugs))]
    public async Task ABadSlugIsRefusedAndCreatesNothing(string slug)
    {
        using var person = await Person.SignUpAsync(_server);

        using var response = await person.SendAsync(HttpMethod.Post, "/v1/workspaces", new { name = "x", slug });

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal("slug", error.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, await CountWorkspacesAsync(person));
    }

    [Fact]
    public async Task AMissingSlugIsRefused()
    {
        using var person = await Person.SignUpAsync(_server);

        using var response = await person.SendAsync(HttpMethod.Post, "/v1/workspaces", new { name = "x" });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
    }

    public static readonly TheoryData<string, string> BadNames = new()
    {
        { "name", new string('n', 201) },
        { "name", "Acme\u0007" },
        { "name", "Acme\u202Egnp.exe" },
        { "organizationName", new string('o', 201) },
        { "organizationName", "Org\r\nBcc: victim@example.test" },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task AnOversizedOrDisguisedNameIsRefused(string field, string value)
    {
        using var person = await Person.SignUpAsync(_server);
        var body = new Dictionary<string, string> { ["slug"] = PortalSteps.NewSlug(), [field] = value };

        using var response = await person.SendAsync(HttpMethod.Post, "/v1/workspaces", body);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal(field, error.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, await CountWorkspacesAsync(person));
    }

    [Fact]
    public async Task ANameOfTwoHundredCharactersIsAccepted()
    {
        using var person = await Person.SignUpAsync(_server);

        using var response = await person.SendAsync(HttpMethod.Post, "/v1/workspaces",
            new { slug = PortalSteps.NewSlug(), name = new string('n', 200), organizationName = "Zoë & Søn 株式会社" });

        Assert.Equal(200, (await Person.ReadAsync(response, HttpStatusCode.Created)).GetProperty("name").GetString()!.Length);
    }

    [Fact]
    public async Task AnotherWorkspacesMemberCannotBeChangedOrRemovedThroughMine()
    {
        using var mine = await Person.SignUpAsync(_server);
        var myWorkspace = await mine.CreateWorkspaceAsync();
        using var theirs = await Person.SignUpAsync(_server);
        var theirWorkspace = await theirs.CreateWorkspaceAsync();

        using var promote = await mine.SendAsync(HttpMethod.Patch, $"/v1/workspaces/{myWorkspace}/members/{theirs.UserId}", new { role = "member" });
        using var remove = await mine.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{myWorkspace}/members/{theirs.UserId}");
        using var direct = await mine.SendAsync(HttpMethod.Patch, $"/v1/workspaces/{theirWorkspace}/members/{theirs.UserId}", new { role = "member" });

        await ErrorAssert.IsErrorAsync(promote, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAssert.IsErrorAsync(remove, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAssert.IsErrorAsync(direct, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        using var members = await theirs.GetAsync($"/v1/workspaces/{theirWorkspace}/members");
        var member = Assert.Single((await Person.ReadAsync(members, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal("admin", member.GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("superadmin")]
    public async Task AnUnknownRoleIsRefusedForMembersAndInvitations(string role)
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var patch = await admin.SendAsync(HttpMethod.Patch, $"/v1/workspaces/{workspaceId}/members/{admin.UserId}", new { role });
        using var invite = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations", new { email = Person.NewEmail(), role });

        await ErrorAssert.IsErrorAsync(patch, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        await ErrorAssert.IsErrorAsync(invite, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("a@b@c.test")]
    [InlineData("victim@example.test\r\nBcc: all@example.test")]
    [InlineData("")]
    public async Task ABadInvitationAddressIsRefused(string email)
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        using var invite = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations", new { email, role = "member" });

        var error = await ErrorAssert.IsErrorAsync(invite, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        Assert.Equal("email", error.GetProperty("error").GetProperty("param").GetString());
    }

    static async Task<int> CountWorkspacesAsync(Person person)
    {
        using var response = await person.GetAsync("/v1/workspaces");
        return (await Person.ReadAsync(response, HttpStatusCode.OK)).GetProperty("items").GetArrayLength();
    }
}
