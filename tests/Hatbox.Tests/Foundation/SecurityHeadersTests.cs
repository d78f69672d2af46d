using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;

namespace Hatbox.Tests.Foundation;

/// <summary><c>WWW-Authenticate</c> on 401s (RFC 6750), <c>Strict-Transport-Security</c> on HTTPS answers, and 500s logged.</summary>
public sealed class SecurityHeadersTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryKindOf401CarriesABearerChallengeAndABadKeyIsAnInvalidToken()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var (revokedKey, revokedId) = await tenant.CreateKeyAsync(server);
        await tenant.RevokeAsync(server, revokedId);

        using var missing = await client.PostAsync("/authentication", null, Ct);
        using var invalid = await tenant.AuthenticateAsync(client, "wh_live_notarealkey");
        using var revoked = await tenant.AuthenticateAsync(client, revokedKey);
        using var notSignedIn = await client.GetAsync("/v1/me", Ct);

        await ErrorAssert.IsErrorAsync(missing, HttpStatusCode.Unauthorized, ErrorCodes.MissingApiKey);
        Assert.Equal("Bearer realm=\"hatbox\"", missing.Headers.WwwAuthenticate.ToString());
        await ErrorAssert.IsErrorAsync(invalid, HttpStatusCode.Unauthorized, ErrorCodes.InvalidApiKey);
        Assert.Equal("Bearer realm=\"hatbox\", error=\"invalid_token\"", invalid.Headers.WwwAuthenticate.ToString());
        await ErrorAssert.IsErrorAsync(revoked, HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyRevoked);
        Assert.Equal("Bearer realm=\"hatbox\", error=\"invalid_token\"", revoked.Headers.WwwAuthenticate.ToString());
        await ErrorAssert.IsErrorAsync(notSignedIn, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
        Assert.Equal("Bearer", Assert.Single(notSignedIn.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task AnAnswerThatIsNot401HasNoChallenge()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);

        using var ok = await tenant.AuthenticateAsync(client);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Empty(ok.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/no-such-path")]
    [InlineData("/v1/me")]
    [InlineData("/signin")]
    public async Task EveryHttpsAnswerCarriesStrictTransportSecurityForAYearWithoutSubdomains(string path)
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task TheMaxAgeAndSubdomainsAreConfigurable()
    {
        await using var server = await TestServer.StartAsync(new() { ["Hsts:MaxAgeSeconds"] = "600", ["Hsts:IncludeSubDomains"] = "true" });
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/health", Ct);

        Assert.Equal("max-age=600; includeSubDomains", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task APlainHttpAnswerNeverCarriesStrictTransportSecurity()
    {
        await using var server = await TestServer.StartAsync(plainHttp: true);
        using var client = server.CreatePlainClient();

        using var response = await client.GetAsync("/health", Ct);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.HttpsRequired);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ABadHstsSettingFailsTheStart()
    {
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestServer.StartAsync(new() { ["Hsts:MaxAgeSeconds"] = "-1" }));
    }

    [Fact]
    public async Task AnUnhandledExceptionIsLoggedAtErrorWithItsRequestIdAndStackButTheClientSeesOnlyTheId()
    {
        await using var server = await TestServer.StartAsync(
            configureBuilder: builder => builder.Logging.AddFakeLogging(),
            configureApp: app => app.MapGet("/test/crash", string () => throw new InvalidOperationException("secret detail of the crash")));
        using var client = server.CreateClient();
        var collector = server.Services.GetRequiredService<FakeLogCollector>();

        using var response = await client.GetAsync("/test/crash", Ct);

        var body = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.InternalServerError, ErrorCodes.InternalError);
        Assert.DoesNotContain("secret detail", body.ToString(), StringComparison.Ordinal);
        var requestId = response.Headers.GetValues("Request-Id").Single();
        var logged = Assert.Single(collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Exception is InvalidOperationException);
        Assert.Contains(requestId, logged.Message, StringComparison.Ordinal);
        Assert.Contains("secret detail of the crash", logged.Exception!.Message, StringComparison.Ordinal);
        Assert.NotNull(logged.Exception.StackTrace);
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }
}
