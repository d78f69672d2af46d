using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Accounts;

/// <summary>Password reset by e-mail: single-use, one hour, ending every other session, telling nobody who has an account.</summary>
public sealed class PasswordResetTests(AccountsServer fixture) : IClassFixture<AccountsServer>
{
    const string NewPassword = "a brand new password";
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task TheLinkSetsANewPasswordSignsThisBrowserInAndEndsEveryOtherSession()
    {
        using var person = await Person.SignUpAsync(_server);
        using var otherBrowser = Person.Anonymous(_server);
        using (var signedIn = await otherBrowser.SignInAsync(person.Email, Person.Password))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }
        var token = await AskForLinkAsync(person.Email);

        using var resetter = Person.Anonymous(_server);
        using var reset = await resetter.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token, password = NewPassword });

        await Person.ReadAsync(reset, HttpStatusCode.OK);
        using (var me = await resetter.GetAsync("/v1/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
        foreach (var ended in new[] { person, otherBrowser })
        {
            using var me = await ended.GetAsync("/v1/me");
            await ErrorAssert.IsErrorAsync(me, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
        }
        using var browser = Person.Anonymous(_server);
        using (var oldPassword = await browser.SignInAsync(person.Email, Person.Password))
        {
            await ErrorAssert.IsErrorAsync(oldPassword, HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
        }
        using var newPassword = await browser.SignInAsync(person.Email, NewPassword);
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
    }

    [Fact]
    public async Task TheLinkWorksOnce()
    {
        using var person = await Person.SignUpAsync(_server);
        var token = await AskForLinkAsync(person.Email);
        using var browser = Person.Anonymous(_server);
        using (var first = await browser.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token, password = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var again = await browser.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token, password = "yet another password" });

        await ErrorAssert.IsErrorAsync(again, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
    }

    [Fact]
    public async Task UsingOneLinkSpendsTheOlderOnes()
    {
        using var person = await Person.SignUpAsync(_server);
        var older = await AskForLinkAsync(person.Email);
        var newer = await AskForLinkAsync(person.Email);
        using var browser = Person.Anonymous(_server);
        using (var used = await browser.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token = newer, password = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token = older, password = "yet another password" });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
    }

    [Fact]
    public async Task TheLinkExpiresAfterAnHour()
    {
        using var person = await Person.SignUpAsync(_server);
        var token = await AskForLinkAsync(person.Email);
        fixture.LinkClock.Advance(TimeSpan.FromMinutes(61));

        using var browser = Person.Anonymous(_server);
        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token, password = NewPassword });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
        using var oldPassword = await browser.SignInAsync(person.Email, Person.Password);
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
    }

    [Fact]
    public async Task ATooShortPasswordIsRefusedAndDoesNotSpendTheLink()
    {
        using var person = await Person.SignUpAsync(_server);
        var token = await AskForLinkAsync(person.Email);
        using var browser = Person.Anonymous(_server);

        using (var weak = await browser.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token, password = "short" }))
        {
            var error = await ErrorAssert.IsErrorAsync(weak, HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
            Assert.Equal("password", error.GetProperty("error").GetProperty("param").GetString());
        }
        using var strong = await browser.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token, password = NewPassword });
        Assert.Equal(HttpStatusCode.OK, strong.StatusCode);
    }

    [Fact]
    public async Task AskingForAnUnknownAddressAnswersTheSameAndSendsNothing()
    {
        var nobody = Person.NewEmail();
        using var browser = Person.Anonymous(_server);

        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/password-reset-requests", new { email = nobody });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await Mailbox.LinksAsync(_server, nobody, "/reset-password"));
    }

    [Fact]
    public async Task TheLinkPointsAtTheServerWhateverHostTheRequestNamed()
    {
        using var person = await Person.SignUpAsync(_server);
        // Password-reset poisoning: the attacker asks for the victim's link with its own name in Host.
        using var attacker = new HostBrowser(_server);
        using var response = await attacker.PostJsonAsync(new Uri($"https://evil.example:{attacker.Port}/v1/password-reset-requests"), new { email = person.Email });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var link = await Mailbox.LinkAsync(_server, person.Email, "/reset-password");
        Assert.Equal(_server.HttpsAddress.Authority, link.Authority);
    }

    [Fact]
    public async Task AVerificationLinkIsNotAResetLink()
    {
        using var person = await Person.SignUpAsync(_server, verifyEmail: false);
        var token = Mailbox.Token(await Mailbox.LinkAsync(_server, person.Email, "/verify-email"));
        using var browser = Person.Anonymous(_server);

        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/password-resets", new { token, password = NewPassword });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
    }

    [Fact]
    public async Task AVerificationLinkExpires()
    {
        using var person = await Person.SignUpAsync(_server, verifyEmail: false);
        var token = Mailbox.Token(await Mailbox.LinkAsync(_server, person.Email, "/verify-email"));
        fixture.LinkClock.Advance(TimeSpan.FromHours(25));

        using var browser = Person.Anonymous(_server);
        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.TokenInvalid);
    }

    async Task<string> AskForLinkAsync(string email)
    {
        var before = (await Mailbox.LinksAsync(_server, email, "/reset-password")).Count;
        using var browser = Person.Anonymous(_server);
        using var response = await browser.SendAsync(HttpMethod.Post, "/v1/password-reset-requests", new { email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var links = await Mailbox.LinksAsync(_server, email, "/reset-password");
        Assert.Equal(before + 1, links.Count);
        return Mailbox.Token(links[^1]);
    }
}
