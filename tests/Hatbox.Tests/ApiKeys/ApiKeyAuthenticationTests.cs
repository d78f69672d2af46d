using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.ApiKeys;

public sealed class ApiKeyAuthenticationTests : IAsyncLifetime
{
    TestServer _server = null!;
    HttpClient _client = null!;
    TestTenant _tenant = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _client = _server.CreateClient();
        _tenant = await TestTenant.CreateAsync(_server);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    Task<HttpResponseMessage> AuthenticateAsync(Action<HttpRequestMessage> headers, string path = "/authentication")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        headers(request);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("Authorization", "Bearer {0}")]
    [InlineData("Authorization", "{0}")]
    [InlineData("x-api-key", "{0}")]
    public async Task AValidKeyIsAcceptedInEveryHeaderForm(string header, string format)
    {
        using var response = await AuthenticateAsync(r => r.Headers.TryAddWithoutValidation(header, string.Format(null, format, _tenant.ApiKey)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(_tenant.OrganizationId, body.GetProperty("organizationId").GetString());
        Assert.Equal(_tenant.OrganizationId, body.GetProperty("orgKey").GetString());
        Assert.Equal(_tenant.WorkspaceId, body.GetProperty("workspaceId").GetString());
        Assert.Equal(_tenant.Slug, body.GetProperty("workspace").GetString());
        Assert.Equal(_tenant.KeyId, body.GetProperty("keyId").GetString());
        Assert.Equal("admin", body.GetProperty("role").GetString());
        Assert.Equal("free", body.GetProperty("plan").GetString());
        Assert.Equal("2025-10-28", body.GetProperty("apiVersion").GetString());
    }

    [Fact]
    public async Task NoKeyIsMissingApiKey()
    {
        using var response = await AuthenticateAsync(_ => { });
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.MissingApiKey, ErrorTypes.Authentication);
    }

    [Fact]
    public async Task AKeyInTheQueryStringIsNeverAccepted()
    {
        using var response = await AuthenticateAsync(_ => { }, $"/authentication?api_key={_tenant.ApiKey}&key={_tenant.ApiKey}");
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.MissingApiKey);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("wh_live_short_abc123")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task AMalformedKeyIsInvalid(string value)
    {
        using var response = await AuthenticateAsync(r => r.Headers.TryAddWithoutValidation("Authorization", value));
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.InvalidApiKey);
    }

    [Fact]
    public async Task AKeyWithOneCharacterChangedFailsItsChecksum()
    {
        var tampered = _tenant.ApiKey[..10] + (_tenant.ApiKey[10] == 'a' ? 'b' : 'a') + _tenant.ApiKey[11..];
        using var response = await AuthenticateAsync(r => r.Headers.Authorization = new("Bearer", tampered));
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.InvalidApiKey);
    }

    [Fact]
    public async Task AWellFormedUnknownKeyIsInvalid()
    {
        var unknown = Hatbox.Features.ApiKeys.ApiKeySecret.Generate();
        using var response = await AuthenticateAsync(r => r.Headers.Authorization = new("Bearer", unknown));
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.InvalidApiKey);
    }

    [Fact]
    public async Task ARevokedKeyFailsAtOnce()
    {
        var (key, keyId) = await _tenant.CreateKeyAsync(_server);
        using (var before = await AuthenticateAsync(r => r.Headers.Authorization = new("Bearer", key)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await _tenant.RevokeAsync(_server, keyId);
        using var after = await AuthenticateAsync(r => r.Headers.Authorization = new("Bearer", key));

        await ErrorAssert.IsErrorAsync(after, HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyRevoked);
    }

    [Fact]
    public async Task AnExpiredKeyIsApiKeyExpired()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(1);
        var (key, _) = await _tenant.CreateKeyAsync(_server, expiresAt);

        // Polled to a deadline rather than one fixed sleep: until the expiry the key works, and after it
        // (however late a busy machine gets there) it is refused as expired, never as anything else.
        var deadline = expiresAt.AddSeconds(10);
        while (true)
        {
            var sentAt = DateTimeOffset.UtcNow;
            using var response = await AuthenticateAsync(r => r.Headers.Authorization = new("Bearer", key));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.True(sentAt < expiresAt, "the key still worked after its expiry");
                Assert.True(DateTimeOffset.UtcNow < deadline, "the key never expired");
                await Task.Delay(100, TestContext.Current.CancellationToken);
                continue;
            }
            await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyExpired);
            Assert.True(DateTimeOffset.UtcNow >= expiresAt, "the key was refused before its expiry");
            break;
        }
    }

    [Fact]
    public async Task TwoDifferentKeysInOneRequestAreRefused()
    {
        var (other, _) = await _tenant.CreateKeyAsync(_server);
        using var response = await AuthenticateAsync(r =>
        {
            r.Headers.Authorization = new("Bearer", _tenant.ApiKey);
            r.Headers.Add("x-api-key", other);
        });
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.MultipleApiKeys);
    }

    [Fact]
    public async Task TheSameKeyInTwoHeadersIsFine()
    {
        using var response = await AuthenticateAsync(r =>
        {
            r.Headers.Authorization = new("Bearer", _tenant.ApiKey);
            r.Headers.Add("x-api-key", _tenant.ApiKey);
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AMatchingOrgKeyIsAcceptedAndAnotherIsRefused()
    {
        var other = await TestTenant.CreateAsync(_server);
        using var matching = await AuthenticateAsync(r =>
        {
            r.Headers.Add("x-api-key", _tenant.ApiKey);
            r.Headers.Add("x-org-key", _tenant.OrganizationId);
        });
        using var mismatching = await AuthenticateAsync(r =>
        {
            r.Headers.Add("x-api-key", _tenant.ApiKey);
            r.Headers.Add("x-org-key", other.OrganizationId);
        });

        Assert.Equal(HttpStatusCode.OK, matching.StatusCode);
        await ErrorAssert.IsErrorAsync(mismatching, HttpStatusCode.Unauthorized, ErrorCodes.InvalidOrgKey);
    }

    [Fact]
    public async Task EachKeyAnswersForItsOwnWorkspace()
    {
        var other = await TestTenant.CreateAsync(_server);
        using var response = await AuthenticateAsync(r => r.Headers.Authorization = new("Bearer", other.ApiKey));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(other.WorkspaceId, body.GetProperty("workspaceId").GetString());
        Assert.NotEqual(_tenant.WorkspaceId, other.WorkspaceId);
    }
}
