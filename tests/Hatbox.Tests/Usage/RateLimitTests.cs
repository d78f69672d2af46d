using System.Net;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Usage;

public sealed class RateLimitTests
{
    [Fact]
    public async Task FiringTwiceTheLimitAtOnceLetsExactlyTheLimitThrough()
    {
        await using var server = await TestServer.StartAsync(new() { ["Plans:free:RequestsPerMinute"] = "25" });
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => tenant.AuthenticateAsync(client)));

        Assert.Equal(25, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(25, refused.Count);
        var first = refused[0];
        await ErrorAssert.IsErrorAsync(first, HttpStatusCode.TooManyRequests, "rate_limited", "rate_limit_error");
        Assert.True(int.Parse(first.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        foreach (var response in responses)
        {
            Assert.Equal("\"minute\";q=25;w=60", response.Headers.GetValues("RateLimit-Policy").Single());
            Assert.StartsWith("\"minute\";r=", response.Headers.GetValues("RateLimit").Single(), StringComparison.Ordinal);
            Assert.Equal("25", response.Headers.GetValues("RateLimit-Limit").Single());
            Assert.True(response.Headers.Contains("RateLimit-Remaining"));
            Assert.True(response.Headers.Contains("RateLimit-Reset"));
            response.Dispose();
        }
    }

    [Fact]
    public async Task TheOrganizationLimitCoversAllItsKeysTogether()
    {
        await using var server = await TestServer.StartAsync(new() { ["Plans:free:RequestsPerMinute"] = "10" });
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var (second, _) = await tenant.CreateKeyAsync(server);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => tenant.AuthenticateAsync(client, i % 2 == 0 ? null : second)));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task AnotherOrganizationKeepsItsOwnAllowance()
    {
        await using var server = await TestServer.StartAsync(new() { ["Plans:free:RequestsPerMinute"] = "3" });
        using var client = server.CreateClient();
        var busy = await TestTenant.CreateAsync(server);
        var quiet = await TestTenant.CreateAsync(server);
        for (var i = 0; i < 4; i++)
        {
            (await busy.AuthenticateAsync(client)).Dispose();
        }

        using var response = await quiet.AuthenticateAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("RateLimit-Remaining").Single());
    }
}
