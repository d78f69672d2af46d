using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Accounts;

/// <summary>
/// Issue 17.1: an invitation goes to an address, and only someone who proves that address takes it.
/// A stranger who signs up with the invited address (never having read its mail) gets nothing.
/// </summary>
public sealed class InvitationTakeoverTests(AccountsServer fixture) : IClassFixture<AccountsServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task AStrangerWhoSignsUpWithAnInvitedAddressJoinsNothingUntilTheAddressIsVerified()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var invitedAddress = Person.NewEmail();
        await InviteAsync(admin, workspaceId, invitedAddress, "admin");

        using var stranger = await Person.SignUpAsync(_server, invitedAddress, verifyEmail: false);

        Assert.Empty(await WorkspacesOfAsync(stranger));
        using (var workspace = await stranger.GetAsync($"/v1/workspaces/{workspaceId}"))
        {
            await ErrorAssert.IsErrorAsync(workspace, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }
        using (var members = await stranger.GetAsync($"/v1/workspaces/{workspaceId}/members"))
        {
            await ErrorAssert.IsErrorAsync(members, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }
        Assert.Equal(JsonValueKind.Null, (await InvitationAsync(admin, workspaceId)).GetProperty("acceptedAt").ValueKind);
    }

    [Fact]
    public async Task SigningInAgainDoesNotAcceptTheInvitationForAnUnverifiedAddress()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var invitedAddress = Person.NewEmail();
        await InviteAsync(admin, workspaceId, invitedAddress, "admin");
        using var stranger = await Person.SignUpAsync(_server, invitedAddress, verifyEmail: false);

        using var signIn = await stranger.SignInAsync(invitedAddress, Person.Password);

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Empty(await WorkspacesOfAsync(stranger));
    }

    [Fact]
    public async Task AnUnverifiedAccountThatExistsBeforeTheInvitationDoesNotJoinAtOnce()
    {
        using var squatter = await Person.SignUpAsync(_server, verifyEmail: false);
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        await InviteAsync(admin, workspaceId, squatter.Email, "admin");

        Assert.Empty(await WorkspacesOfAsync(squatter));
    }

    [Fact]
    public async Task TheOwnerOfTheAddressJoinsWithTheInvitedRoleOnceTheyFollowTheLinkSentToIt()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var invitedAddress = Person.NewEmail();
        await InviteAsync(admin, workspaceId, invitedAddress, "leader");
        using var owner = await Person.SignUpAsync(_server, invitedAddress, verifyEmail: false);

        var link = await Mailbox.LinkAsync(_server, invitedAddress, "/verify-email");
        using var anonymous = Person.Anonymous(_server);
        using var verified = await anonymous.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token = Mailbox.Token(link) });

        var user = await Person.ReadAsync(verified, HttpStatusCode.OK);
        Assert.True(user.GetProperty("emailVerified").GetBoolean());
        var workspace = Assert.Single(await WorkspacesOfAsync(owner));
        Assert.Equal(workspaceId, workspace.GetProperty("id").GetString());
        Assert.Equal("leader", workspace.GetProperty("role").GetString());
        Assert.NotEqual(JsonValueKind.Null, (await InvitationAsync(admin, workspaceId)).GetProperty("acceptedAt").ValueKind);
    }

    [Fact]
    public async Task AVerifiedAccountJoinsAtOnceWhenInvited()
    {
        using var member = await Person.SignUpAsync(_server);
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();

        await InviteAsync(admin, workspaceId, member.Email, "developer");

        Assert.Equal("developer", Assert.Single(await WorkspacesOfAsync(member)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task AskingForAnotherLinkSendsItToTheAddressNotToTheCaller()
    {
        using var stranger = await Person.SignUpAsync(_server, verifyEmail: false);

        using var resent = await stranger.SendAsync(HttpMethod.Post, "/v1/me/verification-emails");

        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        Assert.Empty(await resent.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, (await Mailbox.LinksAsync(_server, stranger.Email, "/verify-email")).Count);
    }

    [Fact]
    public async Task AVerificationLinkWorksOnce()
    {
        using var person = await Person.SignUpAsync(_server, verifyEmail: false);
        var token = Mailbox.Token(await Mailbox.LinkAsync(_server, person.Email, "/verify-email"));
        using var anonymous = Person.Anonymous(_server);
        using (var first = await anonymous.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var again = await anonymous.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token });

        await ErrorAssert.IsErrorAsync(again, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task AnUnknownVerificationTokenIsRefused(string token)
    {
        using var anonymous = Person.Anonymous(_server);
        using var response = await anonymous.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
    }

    [Fact]
    public async Task APasswordResetLinkIsNotAVerificationLink()
    {
        using var person = await Person.SignUpAsync(_server, verifyEmail: false);
        using var anonymous = Person.Anonymous(_server);
        using (var asked = await anonymous.SendAsync(HttpMethod.Post, "/v1/password-reset-requests", new { email = person.Email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        }
        var resetToken = Mailbox.Token(await Mailbox.LinkAsync(_server, person.Email, "/reset-password"));

        using var response = await anonymous.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token = resetToken });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
    }

    static async Task InviteAsync(Person admin, string workspaceId, string email, string role)
    {
        using var invited = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations", new { email, role });
        await Person.ReadAsync(invited, HttpStatusCode.Created);
    }

    static async Task<List<JsonElement>> WorkspacesOfAsync(Person person)
    {
        using var me = await person.GetAsync("/v1/me");
        return [.. (await Person.ReadAsync(me, HttpStatusCode.OK)).GetProperty("workspaces").EnumerateArray()];
    }

    static async Task<JsonElement> InvitationAsync(Person admin, string workspaceId)
    {
        using var list = await admin.GetAsync($"/v1/workspaces/{workspaceId}/invitations");
        return Assert.Single((await Person.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }
}
