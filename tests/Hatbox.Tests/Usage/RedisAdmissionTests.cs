using System.Net;
using Hatbox.Features.RateLimits;
using Hatbox.Features.Usage;
using Hatbox.Tests.Infrastructure;
using StackExchange.Redis;

namespace Hatbox.Tests.Usage;

/// <summary>
/// The one script that counts a keyed request in Redis (both buckets and the monthly quota), against a
/// real Redis through a server that counts there: one round trip a request, and the same exact answers
/// the separate buckets and counter gave.
/// </summary>
public sealed class RedisAdmissionTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    TestServer _server = null!;
    ConnectionMultiplexer _admin = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Month => BillingMonth.Of(DateTimeOffset.UtcNow);

    IAdmissionCounter Counter => _server.Services.GetRequiredService<IAdmissionCounter>();

    IQuotaCounter Quota => _server.Services.GetRequiredService<IQuotaCounter>();

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(redis.Settings());
        _admin = await redis.ConnectAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _admin.DisposeAsync();
    }

    [Fact]
    public async Task AKeyedRequestCostsOneScriptInRedis()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        using var client = _server.CreateClient();
        // The first request seeds the month's counter; the rest find it.
        (await tenant.AuthenticateAsync(client)).EnsureSuccessStatusCode();
        var server = _admin.GetServer(_admin.GetEndPoints()[0]);
        var before = await ScriptCallsAsync(server);

        const int Requests = 20;
        for (var i = 0; i < Requests; i++)
        {
            using var response = await tenant.AuthenticateAsync(client);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Three a request before (two buckets and the quota, one after the other); background work
        // (quota notices) may add a few of its own.
        var calls = await ScriptCallsAsync(server) - before;
        Assert.InRange(calls, Requests, Requests + 5);
    }

    [Fact]
    public async Task ARequestTheRateLimitRefusesIsNotCountedInTheQuota()
    {
        var tenant = await TestTenant.CreateAsync(_server);

        var counts = new List<AdmissionCount>();
        for (var i = 0; i < 4; i++)
        {
            counts.Add(await Counter.CountAsync(tenant.KeyId, tenant.OrganizationId, 2, Month, 100, Ct));
        }

        Assert.Equal([true, true, false, false], counts.Select(c => c.Rate.Allowed));
        Assert.Equal([true, true, false, false], counts.Select(c => c.QuotaAdmitted));
        Assert.Equal(2, await Quota.CountAsync(tenant.OrganizationId, Month, Ct));
    }

    [Fact]
    public async Task OfManyConcurrentRequestsExactlyTheRateAndTheQuotaPass()
    {
        var tenant = await TestTenant.CreateAsync(_server);

        var counts = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(_ => Counter.CountAsync(tenant.KeyId, tenant.OrganizationId, 40, Month, 25, Ct).AsTask()));

        Assert.Equal(40, counts.Count(c => c.Rate.Allowed));
        Assert.Equal(25, counts.Count(c => c.QuotaAdmitted));
        Assert.DoesNotContain(counts, c => c.QuotaAdmitted && !c.Rate.Allowed);
        Assert.Equal(25, await Quota.CountAsync(tenant.OrganizationId, Month, Ct));
    }

    [Fact]
    public async Task TheOrganizationsBucketAnswersWhenItIsTheTighter()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        var (_, secondKey) = await tenant.CreateKeyAsync(_server);

        var first = await Counter.CountAsync(tenant.KeyId, tenant.OrganizationId, 3, Month, null, Ct);
        var second = await Counter.CountAsync(secondKey, tenant.OrganizationId, 3, Month, null, Ct);
        var third = await Counter.CountAsync(secondKey, tenant.OrganizationId, 3, Month, null, Ct);
        var fourth = await Counter.CountAsync(tenant.KeyId, tenant.OrganizationId, 3, Month, null, Ct);

        Assert.Equal([2, 1, 0], new[] { first, second, third }.Select(c => c.Rate.Remaining));
        Assert.True(third.Rate.Allowed);
        // The key has a token left; its organization has none.
        Assert.False(fourth.Rate.Allowed);
        Assert.False(fourth.QuotaAdmitted);
        Assert.Equal(3, await Quota.CountAsync(tenant.OrganizationId, Month, Ct));
    }

    [Fact]
    public async Task AMissingCounterIsSeededFromTheStoredUsageAndTheBucketsAreTakenOnce()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        var recorder = _server.Services.GetRequiredService<UsageRecorder>();
        var day = BillingMonth.Day(DateTimeOffset.UtcNow);
        for (var i = 0; i < 3; i++)
        {
            recorder.Record(new UsageKey(tenant.OrganizationId, tenant.WorkspaceId, tenant.KeyId, day, "db", 200), 1, 0, 0, TimeSpan.FromMilliseconds(1));
        }
        await recorder.FlushAsync(Ct);
        await _admin.GetDatabase().KeyDeleteAsync(RedisQuotaCounter.KeyPrefix + tenant.OrganizationId + ":" + Month);

        var counted = await Counter.CountAsync(tenant.KeyId, tenant.OrganizationId, 10, Month, 4, Ct);
        var refused = await Counter.CountAsync(tenant.KeyId, tenant.OrganizationId, 10, Month, 4, Ct);

        Assert.True(counted.QuotaAdmitted);
        Assert.Equal(9, counted.Rate.Remaining);
        Assert.False(refused.QuotaAdmitted);
        Assert.True(refused.Rate.Allowed);
        Assert.Equal(8, refused.Rate.Remaining);
        Assert.Equal(4, await Quota.CountAsync(tenant.OrganizationId, Month, Ct));
    }

    static async Task<long> ScriptCallsAsync(IServer server)
    {
        var stats = (await server.InfoAsync("commandstats")).SelectMany(group => group)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        return Calls(stats, "cmdstat_evalsha") + Calls(stats, "cmdstat_eval");
    }

    // A commandstats line: calls=12,usec=345,usec_per_call=28.75,...
    static long Calls(Dictionary<string, string> stats, string command) =>
        stats.TryGetValue(command, out var line) ? long.Parse(line.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture) : 0;
}
