using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>Sign-up, sign-in and sign-out with the <c>__Host-hatbox</c> cookie, and lockout.</summary>
public sealed class SessionTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task SigningUpAnswersTheUserAndSignsIn()
    {
        using var portal = await Person.SignUpAsync(_server);

        using var response = await portal.GetAsync("/v1/me");
        var me = await Person.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(portal.UserId, me.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(portal.Email, me.GetProperty("user").GetProperty("email").GetString());
        Assert.Equal(0, me.GetProperty("workspaces").GetArrayLength());
    }

    [Fact]
    public async Task TheSessionCookieIsHostOnlySecureHttpOnlyAndLax()
    {
        using var portal = Person.Anonymous(_server);
        using var response = await portal.SendAsync(HttpMethod.Post, "/v1/accounts", new { email = Person.NewEmail(), password = Person.Password });

        await Person.ReadAsync(response, HttpStatusCode.Created);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-hatbox=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
        Assert.Contains(attributes, a => a.StartsWith("expires=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SigningUpWithAFormBodyWorksLikeJson()
    {
        using var portal = Person.Anonymous(_server);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = Person.NewEmail(),
            ["password"] = Person.Password,
            ["name"] = "Form User",
        });
        using var response = await portal.SendAsync(HttpMethod.Post, "/v1/accounts", form);

        var user = await Person.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal("Form User", user.GetProperty("name").GetString());
    }

    [Fact]
    public async Task SigningUpTwiceWithOneAddressIsAConflict()
    {
        using var first = await Person.SignUpAsync(_server);
        using var second = Person.Anonymous(_server);
        using var response = await second.SendAsync(HttpMethod.Post, "/v1/accounts", new { email = first.Email, password = Person.Password });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Conflict, ErrorCodes.EmailTaken);
    }

    [Fact]
    public async Task SigningInWithTheRightPasswordStartsASession()
    {
        using var signedUp = await Person.SignUpAsync(_server);
        using var browser = Person.Anonymous(_server);

        using var signIn = await browser.SignInAsync(signedUp.Email, Person.Password);
        using var me = await browser.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task SigningOutMakesACopiedCookieUseless()
    {
        using var portal = await Person.SignUpAsync(_server);
        using var thief = Person.WithCopiedCookies(_server, portal.CookieHeader);
        using (var before = await thief.GetAsync("/v1/me"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var signOut = await portal.SendAsync(HttpMethod.Delete, "/v1/sessions/current");
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);

        using var stolen = await thief.GetAsync("/v1/me");
        await ErrorAssert.IsErrorAsync(stolen, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated, ErrorTypes.Authentication);
        using var own = await portal.GetAsync("/v1/me");
        await ErrorAssert.IsErrorAsync(own, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
    }

    [Fact]
    public async Task SigningInAgainEndsThePreviousSessionOfThatBrowser()
    {
        using var portal = await Person.SignUpAsync(_server);
        var oldCookies = portal.CookieHeader;

        using var signIn = await portal.SignInAsync(portal.Email, Person.Password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);

        using var replay = Person.WithCopiedCookies(_server, oldCookies);
        using var response = await replay.GetAsync("/v1/me");
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
    }

    [Fact]
    public async Task WithoutASessionTheApiAnswersNotSignedInAndNeverRedirects()
    {
        using var portal = Person.Anonymous(_server);
        using var response = await portal.GetAsync("/v1/me");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated, ErrorTypes.Authentication);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task AnApiKeyDoesNotOpenTheManagementApi()
    {
        using var admin = await Person.SignUpAsync(_server);
        var workspaceId = await admin.CreateWorkspaceAsync();
        var key = (await admin.CreateKeyAsync(workspaceId)).GetProperty("apiKey").GetString();
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Authorization = new("Bearer", key);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
    }

    [Fact]
    public async Task AWrongPasswordAndAnUnknownAccountGetTheSameAnswer()
    {
        using var portal = await Person.SignUpAsync(_server);
        using var browser = Person.Anonymous(_server);

        using var wrong = await browser.SignInAsync(portal.Email, "not the password");
        using var unknown = await browser.SignInAsync(Person.NewEmail(), Person.Password);

        await ErrorAssert.IsErrorAsync(wrong, HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials, ErrorTypes.Authentication);
        await ErrorAssert.IsErrorAsync(unknown, HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials, ErrorTypes.Authentication);
    }

    [Fact]
    public async Task RepeatedFailuresLockTheAccountWithTheSameAnswerAsAnUnknownAccount()
    {
        using var portal = await Person.SignUpAsync(_server);
        using var attacker = Person.Anonymous(_server);
        for (var i = 0; i < 5; i++)
        {
            using var failed = await attacker.SignInAsync(portal.Email, $"guess number {i}");
            await ErrorAssert.IsErrorAsync(failed, HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials);
        }

        using var rightPassword = await attacker.SignInAsync(portal.Email, Person.Password);
        using var unknown = await attacker.SignInAsync(Person.NewEmail(), Person.Password);

        await ErrorAssert.IsErrorAsync(rightPassword, HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials, ErrorTypes.Authentication);
        await ErrorAssert.IsErrorAsync(unknown, HttpStatusCode.Unauthorized, ErrorCodes.InvalidCredentials, ErrorTypes.Authentication);
    }
}
