using System.Net;
using System.Text.Json;
using Hatbox.Data;
using Hatbox.Features.Versions;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Versions;

public sealed class ApiVersionTests : IAsyncLifetime
{
    TestServer _server = null!;
    HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _client = _server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string? version = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", key);
        if (version is not null)
        {
            request.Headers.Add(ApiVersions.HeaderName, version);
        }
        return await _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    async Task<string?> PinnedVersionAsync(string organizationId)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        return await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.ApiVersion)
            .SingleAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AnOrganizationIsPinnedToTheCurrentVersionOnItsFirstRequestOnly()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        Assert.Null(await PinnedVersionAsync(tenant.OrganizationId));

        using var first = await SendAsync(HttpMethod.Post, "/authentication", tenant.ApiKey);

        Assert.Equal("2025-10-28", first.Headers.GetValues(ApiVersions.HeaderName).Single());
        Assert.Equal("2025-10-28", await PinnedVersionAsync(tenant.OrganizationId));
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var versions = scope.ServiceProvider.GetRequiredService<ApiVersionService>();
            Assert.True((await versions.SetAsync(tenant.OrganizationId, "2025-06-01", allowDowngrade: true, TestContext.Current.CancellationToken)).Succeeded);
        }
        using var second = await SendAsync(HttpMethod.Post, "/authentication", tenant.ApiKey);
        Assert.Equal("2025-06-01", second.Headers.GetValues(ApiVersions.HeaderName).Single());
        Assert.Equal("2025-06-01", await PinnedVersionAsync(tenant.OrganizationId));
    }

    [Fact]
    public async Task TheSameRequestAnswersTheOlderShapeUnderTheOlderVersion()
    {
        var tenant = await TestTenant.CreateAsync(_server);

        using var current = await SendAsync(HttpMethod.Post, "/authentication", tenant.ApiKey, "2025-10-28");
        using var older = await SendAsync(HttpMethod.Post, "/authentication", tenant.ApiKey, "2025-06-01");

        var now = await current.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var then = await older.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(tenant.OrganizationId, now.GetProperty("organizationId").GetString());
        Assert.True(now.TryGetProperty("keyId", out _));
        Assert.Equal(tenant.OrganizationId, then.GetProperty("organization").GetString());
        Assert.False(then.TryGetProperty("organizationId", out _));
        Assert.False(then.TryGetProperty("keyId", out _));
        Assert.Equal("2025-06-01", older.Headers.GetValues(ApiVersions.HeaderName).Single());
    }

    [Fact]
    public async Task AnEndpointRemovedInTheCurrentVersionExistsOnlyInTheOlderOne()
    {
        var tenant = await TestTenant.CreateAsync(_server);

        using var older = await SendAsync(HttpMethod.Get, "/authentication", tenant.ApiKey, "2025-06-01");
        using var current = await SendAsync(HttpMethod.Get, "/authentication", tenant.ApiKey, "2025-10-28");

        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        await ErrorAssert.IsErrorAsync(current, HttpStatusCode.NotFound, "route_not_found");
    }

    [Theory]
    [InlineData("2024-01-01")]
    [InlineData("latest")]
    [InlineData("2025-10-28; DROP")]
    public async Task AnUnknownVersionIsRefusedWithTheSupportedOnes(string version)
    {
        var tenant = await TestTenant.CreateAsync(_server);
        using var response = await SendAsync(HttpMethod.Post, "/authentication", tenant.ApiKey, version);
        var body = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "invalid_api_version");
        Assert.Equal(ApiVersions.HeaderName, body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task TheHeaderOverridesThePinForOneRequestWithoutChangingIt()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        using var pinning = await SendAsync(HttpMethod.Post, "/authentication", tenant.ApiKey);

        using var overridden = await SendAsync(HttpMethod.Post, "/authentication", tenant.ApiKey, "2025-06-01");

        Assert.Equal("2025-06-01", overridden.Headers.GetValues(ApiVersions.HeaderName).Single());
        Assert.Equal("2025-10-28", await PinnedVersionAsync(tenant.OrganizationId));
    }

    [Fact]
    public async Task HealthEchoesTheVersion()
    {
        using var response = await _client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal("2025-10-28", response.Headers.GetValues(ApiVersions.HeaderName).Single());
    }
}
