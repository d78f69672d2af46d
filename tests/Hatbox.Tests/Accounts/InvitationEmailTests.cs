using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Accounts;

/// <summary>
/// Issue 21: an invitation sends an e-mail of its own to the invited address, through the outbox,
/// with the link that accepts it; accepting still needs the proof of the address that link carries.
/// </summary>
public sealed class InvitationEmailTests(AccountsServer fixture) : IClassFixture<AccountsServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task AnAddressWithoutAnAccountGetsOneEmailLinkingToSignUpWithTheAddressFilledIn()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var invitedAddress = Person.NewEmail();

        await InviteAsync(admin, workspaceId, invitedAddress, "developer");

        var email = Assert.Single(await Mailbox.EmailsAsync(_server, invitedAddress));
        var link = Assert.Single(Mailbox.LinksIn(email.TextBody));
        Assert.Equal("/signup", link.AbsolutePath);
        Assert.Equal($"?email={Uri.EscapeDataString(invitedAddress)}", link.Query);
        using var browser = Person.Anonymous(_server);
        using var page = await browser.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"value=\"{invitedAddress}\"", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAccountThatHasNotConfirmedItsAddressAcceptsWithTheLinkInTheInvitationEmail()
    {
        using var invitee = await Person.SignUpAsync(_server, verifyEmail: false);
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var before = (await Mailbox.EmailsAsync(_server, invitee.Email)).Count;

        await InviteAsync(admin, workspaceId, invitee.Email, "leader");

        var emails = await Mailbox.EmailsAsync(_server, invitee.Email);
        Assert.Equal(before + 1, emails.Count);
        var link = Assert.Single(Mailbox.LinksIn(emails[^1].TextBody));
        Assert.Equal("/verify-email", link.AbsolutePath);
        Assert.Empty(await WorkspacesOfAsync(invitee));
        using var anonymous = Person.Anonymous(_server);
        using (var accepted = await anonymous.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token = Mailbox.Token(link) }))
        {
            await Person.ReadAsync(accepted, HttpStatusCode.OK);
        }
        var workspace = Assert.Single(await WorkspacesOfAsync(invitee));
        Assert.Equal(workspaceId, workspace.GetProperty("id").GetString());
        Assert.Equal("leader", workspace.GetProperty("role").GetString());
        // The link is single-use, like every account link.
        using var replay = await anonymous.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token = Mailbox.Token(link) });
        await ErrorAssert.IsErrorAsync(replay, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
    }

    [Fact]
    public async Task AConfirmedAccountJoinsAtOnceAndIsToldWhereToSignIn()
    {
        using var member = await Person.SignUpAsync(_server);
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var before = (await Mailbox.EmailsAsync(_server, member.Email)).Count;

        await InviteAsync(admin, workspaceId, member.Email, "member");

        var emails = await Mailbox.EmailsAsync(_server, member.Email);
        Assert.Equal(before + 1, emails.Count);
        Assert.Equal("/signin", Assert.Single(Mailbox.LinksIn(emails[^1].TextBody)).AbsolutePath);
        Assert.Equal("member", Assert.Single(await WorkspacesOfAsync(member)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task ARefusedInvitationSendsNothing()
    {
        using var admin = await Person.SignUpAsync(_server);
        using var outsider = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var invitedAddress = Person.NewEmail();

        using var badRole = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations",
            new { email = invitedAddress, role = "owner" });
        using var notAdmin = await outsider.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations",
            new { email = invitedAddress, role = "member" });

        await ErrorAssert.IsErrorAsync(badRole, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        await ErrorAssert.IsErrorAsync(notAdmin, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.Empty(await Mailbox.EmailsAsync(_server, invitedAddress));
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
}
