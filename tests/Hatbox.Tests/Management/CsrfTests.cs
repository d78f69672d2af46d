using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>Every cookie-authenticated write needs the token from <c>GET /v1/antiforgery</c> in <c>X-CSRF-TOKEN</c>.</summary>
public sealed class CsrfTests(ManagementServer fixture) : IClassFixture<ManagementServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task TheTokenEndpointNamesTheHeaderToSend()
    {
        using var portal = await Person.SignUpAsync(_server);
        using var response = await portal.GetAsync("/v1/antiforgery");

        var body = await Person.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal("X-CSRF-TOKEN", body.GetProperty("headerName").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("token").GetString()));
    }

    [Fact]
    public async Task AWriteWithoutTheTokenIsRefused()
    {
        using var portal = await Person.SignUpAsync(_server);
        portal.ForgetCsrfToken();

        using var response = await portal.SendAsync(HttpMethod.Post, "/v1/workspaces", new { slug = PortalSteps.NewSlug() });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.CsrfTokenInvalid, ErrorTypes.Permission);
        using var list = await portal.GetAsync("/v1/workspaces");
        Assert.Equal(0, (await Person.ReadAsync(list, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task AFormPostWithoutTheTokenIsRefusedLikeAJsonOne()
    {
        using var portal = await Person.SignUpAsync(_server);
        portal.ForgetCsrfToken();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["slug"] = PortalSteps.NewSlug() });

        using var response = await portal.SendAsync(HttpMethod.Post, "/v1/workspaces", form);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.CsrfTokenInvalid);
    }

    [Fact]
    public async Task ATokenFromAnotherUsersSessionIsRefused()
    {
        using var victim = await Person.SignUpAsync(_server);
        using var attacker = await Person.SignUpAsync(_server);
        using var tokenResponse = await attacker.GetAsync("/v1/antiforgery");
        var attackerToken = (await Person.ReadAsync(tokenResponse, HttpStatusCode.OK)).GetProperty("token").GetString()!;
        victim.ForgetCsrfToken();

        using var response = await victim.SendWithHeaderAsync(HttpMethod.Delete, "/v1/sessions/current", "X-CSRF-TOKEN", attackerToken);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.CsrfTokenInvalid);
    }

    [Fact]
    public async Task SigningOutWithoutTheTokenIsRefusedAndTheSessionLives()
    {
        using var portal = await Person.SignUpAsync(_server);
        portal.ForgetCsrfToken();

        using var signOut = await portal.SendAsync(HttpMethod.Delete, "/v1/sessions/current");
        using var me = await portal.GetAsync("/v1/me");

        await ErrorAssert.IsErrorAsync(signOut, HttpStatusCode.Forbidden, ErrorCodes.CsrfTokenInvalid);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task AnAnonymousWriteIsNotSignedInRatherThanACsrfFailure()
    {
        using var portal = Person.Anonymous(_server);
        using var response = await portal.SendAsync(HttpMethod.Post, "/v1/workspaces", new { slug = PortalSteps.NewSlug() });

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
    }

    [Fact]
    public async Task ATokenFetchedBeforeSigningInAgainNoLongerWorks()
    {
        using var portal = await Person.SignUpAsync(_server);
        using var stale = await portal.GetAsync("/v1/antiforgery");
        var staleToken = (await Person.ReadAsync(stale, HttpStatusCode.OK)).GetProperty("token").GetString()!;
        using var other = await Person.SignUpAsync(_server);
        using (var signIn = await portal.SignInAsync(other.Email, Person.Password))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }
        portal.ForgetCsrfToken();

        using var response = await portal.SendWithHeaderAsync(HttpMethod.Delete, "/v1/sessions/current", "X-CSRF-TOKEN", staleToken);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.CsrfTokenInvalid);
    }
}
