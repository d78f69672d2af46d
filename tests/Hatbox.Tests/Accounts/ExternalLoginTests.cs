using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Portal.Pages;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Accounts;

/// <summary>
/// Google and Microsoft sign-in through ASP.NET Core's OpenID Connect handler (code flow, PKCE),
/// against a local provider: sign-up, sign-in, linking only by a verified address, refusing an
/// unverified one, and replays of the provider's answer.
/// </summary>
public sealed class ExternalLoginTests(ExternalLoginServer fixture) : IClassFixture<ExternalLoginServer>
{
    readonly TestServer _server = fixture.Server;

    [Theory]
    [InlineData("google")]
    [InlineData("microsoft")]
    public async Task AVerifiedNewAddressSignsUpAndTheSameSubjectSignsInAgain(string provider)
    {
        var subject = Guid.NewGuid().ToString("N");
        var email = Person.NewEmail();
        using var browser = new HostBrowser(_server);

        await SignInExternallyAsync(browser, provider, subject, email, verified: true, HttpStatusCode.OK);

        var me = await MeAsync(browser);
        Assert.Equal(email, me.GetProperty("user").GetProperty("email").GetString());
        Assert.True(me.GetProperty("user").GetProperty("emailVerified").GetBoolean());
        using var again = new HostBrowser(_server);
        await SignInExternallyAsync(again, provider, subject, "changed-" + email, verified: true, HttpStatusCode.OK);
        Assert.Equal(me.GetProperty("user").GetProperty("id").GetString(), (await MeAsync(again)).GetProperty("user").GetProperty("id").GetString());
    }

    [Fact]
    public async Task AVerifiedAddressLinksToTheExistingAccountAndTakesItsInvitations()
    {
        using var person = await Person.SignUpAsync(_server);
        using var browser = new HostBrowser(_server);

        await SignInExternallyAsync(browser, "google", Guid.NewGuid().ToString("N"), person.Email, verified: true, HttpStatusCode.OK);

        Assert.Equal(person.UserId, (await MeAsync(browser)).GetProperty("user").GetProperty("id").GetString());
    }

    [Fact]
    public async Task AnUnverifiedAddressNeverLinksToTheExistingAccount()
    {
        using var person = await Person.SignUpAsync(_server);
        using var browser = new HostBrowser(_server);

        var refused = await SignInExternallyAsync(browser, "microsoft", Guid.NewGuid().ToString("N"), person.Email, verified: false,
            HttpStatusCode.Conflict);

        Assert.Equal(ErrorCodes.EmailTaken, refused);
        using var me = await browser.GetAsync(new Uri(browser.Portal, "/v1/me"));
        await ErrorAssert.IsErrorAsync(me, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
    }

    [Fact]
    public async Task AnUnverifiedNewAddressMakesAnAccountThatJoinsNoInvitationUntilVerified()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var email = Person.NewEmail();
        using (var invited = await admin.SendAsync(HttpMethod.Post, $"/v1/workspaces/{workspaceId}/invitations", new { email, role = "admin" }))
        {
            await Person.ReadAsync(invited, HttpStatusCode.Created);
        }
        using var browser = new HostBrowser(_server);

        await SignInExternallyAsync(browser, "google", Guid.NewGuid().ToString("N"), email, verified: false, HttpStatusCode.OK);

        var me = await MeAsync(browser);
        Assert.False(me.GetProperty("user").GetProperty("emailVerified").GetBoolean());
        Assert.Equal(0, me.GetProperty("workspaces").GetArrayLength());
        Assert.Single(await Mailbox.LinksAsync(_server, email, "/verify-email"));
    }

    [Fact]
    public async Task ReplayingTheProvidersAnswerInTheSameBrowserIsRefused()
    {
        using var browser = new HostBrowser(_server);
        var callback = await CallbackAsync(browser, "google", Guid.NewGuid().ToString("N"), Person.NewEmail());
        var hops = await browser.FollowAsync(callback);
        Assert.Equal(HttpStatusCode.OK, hops[^1].StatusCode);
        hops.ForEach(h => h.Dispose());

        // The state's correlation cookie and the nonce were spent by the first use.
        var replay = await browser.FollowAsync(callback);

        AssertRefused(replay, HttpStatusCode.BadRequest, ErrorCodes.ExternalLoginFailed);
    }

    [Fact]
    public async Task TheProvidersAnswerOpenedInAnotherBrowserIsRefused()
    {
        // Login CSRF: the attacker's own callback URL, sent to a victim's browser.
        using var attacker = new HostBrowser(_server);
        var callback = await CallbackAsync(attacker, "google", Guid.NewGuid().ToString("N"), Person.NewEmail());
        using var victim = new HostBrowser(_server);

        var hops = await victim.FollowAsync(callback);

        AssertRefused(hops, HttpStatusCode.BadRequest, ErrorCodes.ExternalLoginFailed);
        using var me = await victim.GetAsync(new Uri(victim.Portal, "/v1/me"));
        await ErrorAssert.IsErrorAsync(me, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
    }

    [Fact]
    public async Task TheCompletionPageWithoutTheProvidersAnswerSignsNobodyIn()
    {
        using var browser = new HostBrowser(_server);

        var hops = await browser.FollowAsync(new Uri(browser.Portal, "/signin/external/complete?returnUrl=%2Fworkspaces"));

        AssertRefused(hops, HttpStatusCode.BadRequest, ErrorCodes.ExternalLoginFailed);
    }

    [Fact]
    public async Task AnUnconfiguredProviderIsNotFound()
    {
        using var browser = new HostBrowser(_server);
        using var response = await browser.GetAsync(new Uri(browser.Portal, "/signin/external/github"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheButtonsAppearOnlyForConfiguredProviders()
    {
        using var browser = new HostBrowser(_server);
        using var configured = await browser.GetAsync(new Uri(browser.Portal, "/signin"));
        await using var plain = await TestServer.StartAsync();
        using var plainBrowser = new HostBrowser(plain);
        using var unconfigured = await plainBrowser.GetAsync(new Uri(plainBrowser.Portal, "/signup"));

        var withButtons = await configured.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var without = await unconfigured.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("href=\"/signin/external/google\"", withButtons, StringComparison.Ordinal);
        Assert.Contains("href=\"/signin/external/microsoft\"", withButtons, StringComparison.Ordinal);
        Assert.DoesNotContain("/signin/external/", without, StringComparison.Ordinal);
    }

    /// <summary>Runs the whole flow; answers the error code of a refusal (or null), after asserting the final status.</summary>
    async Task<string?> SignInExternallyAsync(HostBrowser browser, string provider, string subject, string email, bool verified, HttpStatusCode expected)
    {
        await fixture.Provider.NextLoginAsync(subject, email, verified);
        var hops = await browser.FollowAsync(new Uri(browser.Portal, $"/signin/external/{provider}"));
        try
        {
            Assert.Equal(expected, hops[^1].StatusCode);
            return hops[^1].Headers.TryGetValues(HandoffCompleteModel.FailureHeader, out var code) ? code.Single() : null;
        }
        finally
        {
            hops.ForEach(h => h.Dispose());
        }
    }

    /// <summary>Goes to the provider and back, and answers the callback URL with its code and state, unopened.</summary>
    async Task<Uri> CallbackAsync(HostBrowser browser, string provider, string subject, string email)
    {
        await fixture.Provider.NextLoginAsync(subject, email, emailVerified: true);
        using var challenge = await browser.GetAsync(new Uri(browser.Portal, $"/signin/external/{provider}"));
        using var authorize = await browser.GetAsync(challenge.Headers.Location!);
        var callback = authorize.Headers.Location!;
        Assert.Equal($"/signin-external/{provider}", callback.AbsolutePath);
        return callback;
    }

    static void AssertRefused(List<HttpResponseMessage> hops, HttpStatusCode status, string code)
    {
        try
        {
            Assert.Equal(status, hops[^1].StatusCode);
            Assert.Equal(code, hops[^1].Headers.GetValues(HandoffCompleteModel.FailureHeader).Single());
        }
        finally
        {
            hops.ForEach(h => h.Dispose());
        }
    }

    static async Task<System.Text.Json.JsonElement> MeAsync(HostBrowser browser)
    {
        using var me = await browser.GetAsync(new Uri(browser.Portal, "/v1/me"));
        return await Person.ReadAsync(me, HttpStatusCode.OK);
    }
}
