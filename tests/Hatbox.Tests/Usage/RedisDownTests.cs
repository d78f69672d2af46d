using System.Diagnostics;
using System.Net;
using Hatbox.Features.Usage;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Usage;

/// <summary>
/// Redis down: API requests cannot be limited or counted, so they fail closed with
/// <c>503 service_unavailable</c> and <c>Retry-After</c>; everything else keeps working, and the
/// node recovers on its own when Redis is back.
/// </summary>
public sealed class RedisDownTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WhenRedisStopsApiRequestsAnswer503UntilItIsBack()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await TestServer.StartAsync(redis.Settings());
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        using (var before = await tenant.AuthenticateAsync(client))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await redis.StopAsync();

        for (var i = 0; i < 3; i++)
        {
            using var down = await tenant.AuthenticateAsync(client);
            await ErrorAssert.IsErrorAsync(down, HttpStatusCode.ServiceUnavailable, "service_unavailable", "api_error");
            Assert.Equal("1", down.Headers.GetValues("Retry-After").Single());
        }
        using (var health = await client.GetAsync("/health", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        // The refusals are metered as the 503s they were. Writing usage checks the quota notices, which
        // need Redis: the writer (and the report that flushes it) carries on without them.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var report = await scope.ServiceProvider.GetRequiredService<UsageService>()
                .ReportAsync(tenant.OrganizationId, BillingMonth.Of(DateTimeOffset.UtcNow), Ct);
            Assert.Equal(3, report.ByStatus.Single(s => s.Name == "503").Requests);
            Assert.Equal(1, report.ByStatus.Single(s => s.Name == "200").Requests);
            // Requests the platform could not serve are not billed.
            var statement = await scope.ServiceProvider.GetRequiredService<UsageService>()
                .StatementAsync(tenant.OrganizationId, BillingMonth.Of(DateTimeOffset.UtcNow), Ct);
            Assert.Equal(1, statement!.Used);
        }

        await redis.RestartAsync();

        Assert.Equal(HttpStatusCode.OK, await StatusOnceRecoveredAsync(tenant, client));
    }

    [Fact]
    public async Task ANodeStartsWhileRedisIsDownAndAnswers503()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        var settings = redis.Settings();
        settings["Redis:Configuration"] += ",connectTimeout=500";

        await using var server = await TestServer.StartAsync(settings);
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        using var response = await tenant.AuthenticateAsync(client);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
    }

    /// <summary>The client reconnects in the background (with backoff); polls until a request passes, for up to 20 s.</summary>
    static async Task<HttpStatusCode> StatusOnceRecoveredAsync(TestTenant tenant, HttpClient client)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var response = await tenant.AuthenticateAsync(client);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || waited.Elapsed > TimeSpan.FromSeconds(20))
            {
                return response.StatusCode;
            }
            await Task.Delay(100, Ct);
        }
    }
}
