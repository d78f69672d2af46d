using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Foundation;

public sealed class HttpsOnlyTests
{
    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/health")]
    [InlineData("POST", "/authentication")]
    [InlineData("POST", "/db/query")]
    [InlineData("GET", "/no/such/path")]
    public async Task PlainHttpGetsHttpsRequiredAndNoDataOrRedirect(string method, string path)
    {
        await using var server = await TestServer.StartAsync(plainHttp: true);
        using var client = server.CreatePlainClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer wh_live_secret");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var body = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.HttpsRequired);
        Assert.Null(response.Headers.Location);
        Assert.False(body.TryGetProperty("status", out _));
        Assert.False(body.TryGetProperty("uptime", out _));
    }

    [Fact]
    public async Task ForwardedProtoFromAnUntrustedPeerIsIgnored()
    {
        await using var server = await TestServer.StartAsync(plainHttp: true);
        using var client = server.CreatePlainClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.HttpsRequired);
    }

    [Fact]
    public async Task ForwardedProtoFromAConfiguredProxyCountsAsHttps()
    {
        await using var server = await TestServer.StartAsync(
            new() { ["Server:TrustedProxies:0"] = "127.0.0.1" }, plainHttp: true);
        using var client = server.CreatePlainClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
