using System.Net;
using Hatbox.Common;
using Hatbox.Features.Domains;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Domains;

/// <summary>Browser calls (with <c>Origin</c>) against a workspace's Allowed Domains; server calls pass.</summary>
public sealed class AllowedDomainsTests : IAsyncLifetime
{
    TestServer _server = null!;
    HttpClient _client = null!;
    TestTenant _tenant = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _client = _server.CreateClient();
        _tenant = await TestTenant.CreateAsync(_server);
        await using var scope = _server.Services.CreateAsyncScope();
        var domains = scope.ServiceProvider.GetRequiredService<DomainService>();
        foreach (var origin in new[] { "https://app.example.com", "https://*.shop.example", "http://localhost:3000" })
        {
            Assert.True((await domains.AddAsync(_tenant.WorkspaceId, origin, Actor.Cli, TestContext.Current.CancellationToken)).Succeeded);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    Task<HttpResponseMessage> CallAsync(string key, string? origin, Action<HttpRequestMessage>? more = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/authentication");
        request.Headers.Authorization = new("Bearer", key);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }
        more?.Invoke(request);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("https://a.shop.example")]
    [InlineData("https://deep.a.shop.example")]
    [InlineData("http://localhost:3000")]
    public async Task AListedOriginIsAllowedAndToldSo(string origin)
    {
        using var response = await CallAsync(_tenant.ApiKey, origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Theory]
    [InlineData("https://evil.test")]
    [InlineData("https://shop.example")]
    [InlineData("https://app.example.com.evil.test")]
    [InlineData("https://evilapp.example.com")]
    [InlineData("https://xshop.example")]
    [InlineData("http://app.example.com")]
    [InlineData("https://app.example.com:8443")]
    [InlineData("http://localhost:3001")]
    [InlineData("null")]
    [InlineData("https://app.example.com/path")]
    [InlineData("not an origin")]
    public async Task AnyOtherOriginIsRefusedWithoutCorsHeaders(string origin)
    {
        using var response = await CallAsync(_tenant.ApiKey, origin);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, DomainErrors.OriginNotAllowedCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task WithNoDomainsListedEveryBrowserCallFails()
    {
        var bare = await TestTenant.CreateAsync(_server);
        using var response = await CallAsync(bare.ApiKey, "https://app.example.com");
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, DomainErrors.OriginNotAllowedCode);
    }

    [Fact]
    public async Task AServerCallWithoutOriginIsNotRestrictedWhateverSecFetchHeadersSay()
    {
        var bare = await TestTenant.CreateAsync(_server);
        using var response = await CallAsync(bare.ApiKey, origin: null, r =>
        {
            r.Headers.Add("sec-fetch-mode", "cors");
            r.Headers.Add("sec-fetch-site", "cross-site");
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task APreflightFromAnAllowedOriginIsAnsweredWithoutAKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/db/query");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Origin", response.Headers.Vary);
        var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").Single();
        foreach (var header in new[] { "Authorization", "Content-Type", "WorqHat-Version", "Idempotency-Key" })
        {
            Assert.Contains(header, allowed, StringComparison.Ordinal);
        }
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").Single();
        foreach (var header in new[] { "Request-Id", "RateLimit", "Retry-After", "WorqHat-Version" })
        {
            Assert.Contains(header, exposed, StringComparison.Ordinal);
        }
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.test")]
    [InlineData("null")]
    public async Task APreflightFromAnUnknownOriginIsRefused(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/authentication");
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, DomainErrors.OriginNotAllowedCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AnOriginAllowedByAnotherWorkspaceStillFailsForThisOne()
    {
        var other = await TestTenant.CreateAsync(_server);
        using var response = await CallAsync(other.ApiKey, "https://app.example.com");
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, DomainErrors.OriginNotAllowedCode);
    }

    [Fact]
    public async Task RemovingADomainRefusesItsCallsAtOnce()
    {
        using (var before = await CallAsync(_tenant.ApiKey, "http://localhost:3000"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            Assert.Null(await scope.ServiceProvider.GetRequiredService<DomainService>()
                .RemoveAsync(_tenant.WorkspaceId, "http://localhost:3000", Actor.Cli, TestContext.Current.CancellationToken));
        }

        using var after = await CallAsync(_tenant.ApiKey, "http://localhost:3000");

        await ErrorAssert.IsErrorAsync(after, HttpStatusCode.Forbidden, DomainErrors.OriginNotAllowedCode);
    }
}
