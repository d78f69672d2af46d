using System.Globalization;
using System.Net;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Usage;

/// <summary>
/// Two server nodes on one data folder, counting in one real Redis: rate limits and the monthly
/// quota hold exactly across both, as on one node.
/// </summary>
public sealed class RedisAcrossNodesTests
{
    [Fact]
    public async Task FiringTwiceTheKeyLimitAtOnceAtTwoNodesLetsExactlyTheLimitThrough()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = redis.Settings(("Plans:free:RequestsPerMinute", "25"));
        await using var nodes = await TwoNodes.StartAsync(settings);
        var tenant = await TestTenant.CreateAsync(nodes.A);

        var (responses, refused) = await FireAsync(nodes, tenant, requests: 50, admitted: 25, "rate_limited");

        foreach (var response in refused)
        {
            Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) >= 1);
        }
        foreach (var response in responses)
        {
            Assert.Equal("\"minute\";q=25;w=60", response.Headers.GetValues("RateLimit-Policy").Single());
            Assert.Equal("25", response.Headers.GetValues("RateLimit-Limit").Single());
            response.Dispose();
        }
    }

    [Fact]
    public async Task TheOrganizationLimitCoversItsKeysOnEveryNode()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = redis.Settings(("Plans:free:RequestsPerMinute", "10"));
        await using var nodes = await TwoNodes.StartAsync(settings);
        var tenant = await TestTenant.CreateAsync(nodes.A);
        var (second, _) = await tenant.CreateKeyAsync(nodes.A);

        // One key on each node: each key alone is within its limit, the organization is not.
        var responses = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => i % 2 == 0 ? tenant.AuthenticateAsync(nodes.Client(i)) : tenant.AuthenticateAsync(nodes.Client(i), second)));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task TheFreeQuotaHoldsExactlyAcrossTwoNodes()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = redis.Settings(("Plans:free:RequestsPerMonth", "20"), ("Plans:free:RequestsPerMinute", "1000"));
        await using var nodes = await TwoNodes.StartAsync(settings);
        var tenant = await TestTenant.CreateAsync(nodes.A);

        var (responses, refused) = await FireAsync(nodes, tenant, requests: 40, admitted: 20, "quota_exceeded");

        foreach (var response in refused)
        {
            Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        }
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ARestartWithRedisFlushedStartsTheQuotaFromTheStoredUsage()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = redis.Settings(("Plans:free:RequestsPerMonth", "6"));
        var data = Directory.CreateTempSubdirectory("hatbox-redis-quota-").FullName;
        TestTenant tenant;
        await using (var server = await TestServer.StartAsync(settings, sharedDataDirectory: data))
        {
            using var client = server.CreateClient();
            tenant = await TestTenant.CreateAsync(server);
            for (var i = 0; i < 4; i++)
            {
                using var response = await tenant.AuthenticateAsync(client);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        await using (var admin = await redis.ConnectAsync())
        {
            await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync();
        }

        await using var restarted = await TestServer.StartAsync(settings, sharedDataDirectory: data);
        using var restartedClient = restarted.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var response = await tenant.AuthenticateAsync(restartedClient);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using var refused = await tenant.AuthenticateAsync(restartedClient);

        await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, "quota_exceeded");
    }

    /// <summary>
    /// Fires <paramref name="requests"/> authentications at once, alternating nodes, and checks that exactly
    /// <paramref name="admitted"/> pass and the rest are <c>429</c> with <paramref name="code"/>. The caller disposes the answers.
    /// </summary>
    static async Task<(HttpResponseMessage[] All, List<HttpResponseMessage> Refused)> FireAsync(
        TwoNodes nodes, TestTenant tenant, int requests, int admitted, string code)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, requests).Select(i => tenant.AuthenticateAsync(nodes.Client(i))));
        Assert.Equal(admitted, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(requests - admitted, refused.Count);
        foreach (var response in refused)
        {
            await ErrorAssert.IsErrorAsync(response, HttpStatusCode.TooManyRequests, code, "rate_limit_error");
        }
        return (responses, refused);
    }

    /// <summary>Two nodes on one data folder (the first one's), with a client each; request i goes to node i % 2.</summary>
    sealed class TwoNodes(TestServer a, TestServer b) : IAsyncDisposable
    {
        readonly HttpClient[] _clients = [a.CreateClient(), b.CreateClient()];

        public TestServer A => a;

        public static async Task<TwoNodes> StartAsync(Dictionary<string, string?> settings)
        {
            var a = await TestServer.StartAsync(settings);
            return new TwoNodes(a, await TestServer.StartAsync(settings, sharedDataDirectory: a.DataDirectory));
        }

        public HttpClient Client(int request) => _clients[request % 2];

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
            await b.DisposeAsync();
            await a.DisposeAsync();
        }
    }
}
