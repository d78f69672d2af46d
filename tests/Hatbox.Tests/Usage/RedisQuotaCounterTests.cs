using Hatbox.Features.Usage;
using Hatbox.Tests.Infrastructure;
using StackExchange.Redis;

namespace Hatbox.Tests.Usage;

/// <summary>The monthly quota's Lua scripts against a real Redis, through a server that counts there.</summary>
public sealed class RedisQuotaCounterTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    TestServer _server = null!;
    ConnectionMultiplexer _admin = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Month => BillingMonth.Of(DateTimeOffset.UtcNow);

    IQuotaCounter Counter => _server.Services.GetRequiredService<IQuotaCounter>();

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
    public async Task AMissingCounterStartsFromTheStoredUsageWithoutTheRefusedRequests()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        await StoreUsageAsync(tenant, admitted: 4, refused: 2);

        var (admitted, count) = await Counter.TryAdmitAsync(tenant.OrganizationId, Month, 10, Ct);

        Assert.True(admitted);
        Assert.Equal(5, count);
        Assert.IsType<RedisQuotaCounter>(Counter);
    }

    [Fact]
    public async Task TheCounterLivesPastTheEndOfTheMonth()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        await Counter.TryAdmitAsync(tenant.OrganizationId, Month, null, Ct);

        var ttl = await _admin.GetDatabase().KeyTimeToLiveAsync(Key(tenant));

        var untilMonthEnd = BillingMonth.NextReset(DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow;
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, untilMonthEnd, untilMonthEnd + TimeSpan.FromDays(8));
    }

    [Fact]
    public async Task AnExistingCounterWinsOverTheStoredUsageAndARefusalIsNotCounted()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        await StoreUsageAsync(tenant, admitted: 1, refused: 0);
        await _admin.GetDatabase().StringSetAsync(Key(tenant), 8);

        Assert.Equal((true, 9L), await Counter.TryAdmitAsync(tenant.OrganizationId, Month, 10, Ct));
        Assert.Equal((true, 10L), await Counter.TryAdmitAsync(tenant.OrganizationId, Month, 10, Ct));
        Assert.Equal((false, 10L), await Counter.TryAdmitAsync(tenant.OrganizationId, Month, 10, Ct));
        Assert.Equal((false, 10L), await Counter.TryAdmitAsync(tenant.OrganizationId, Month, 10, Ct));

        Assert.Equal(10, await Counter.CountAsync(tenant.OrganizationId, Month, Ct));
        Assert.Equal(10, (long)await _admin.GetDatabase().StringGetAsync(Key(tenant)));
    }

    [Fact]
    public async Task WithoutALimitEveryRequestIsAdmittedAndCounted()
    {
        var tenant = await TestTenant.CreateAsync(_server);

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal((true, (long)i), await Counter.TryAdmitAsync(tenant.OrganizationId, Month, null, Ct));
        }
    }

    [Fact]
    public async Task CountingAMissingCounterSeedsIt()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        await StoreUsageAsync(tenant, admitted: 3, refused: 1);

        Assert.Equal(3, await Counter.CountAsync(tenant.OrganizationId, Month, Ct));
        Assert.Equal(3, (long)await _admin.GetDatabase().StringGetAsync(Key(tenant)));
    }

    [Fact]
    public async Task OfManyConcurrentRequestsOnAMissingCounterExactlyTheQuotaIsAdmitted()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        await StoreUsageAsync(tenant, admitted: 5, refused: 0);

        var results = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(_ => Counter.TryAdmitAsync(tenant.OrganizationId, Month, 25, Ct).AsTask()));

        Assert.Equal(20, results.Count(r => r.Admitted));
        Assert.Equal(25, await Counter.CountAsync(tenant.OrganizationId, Month, Ct));
    }

    static RedisKey Key(TestTenant tenant) => RedisQuotaCounter.KeyPrefix + tenant.OrganizationId + ":" + Month;

    /// <summary>Usage rows as metering writes them (admitted requests 200, refused ones 429), and no counter yet.</summary>
    async Task StoreUsageAsync(TestTenant tenant, int admitted, int refused)
    {
        var recorder = _server.Services.GetRequiredService<UsageRecorder>();
        var day = BillingMonth.Day(DateTimeOffset.UtcNow);
        for (var i = 0; i < admitted + refused; i++)
        {
            recorder.Record(new UsageKey(tenant.OrganizationId, tenant.WorkspaceId, tenant.KeyId, day, "db", i < admitted ? 200 : 429),
                1, 0, 0, TimeSpan.FromMilliseconds(1));
        }
        await recorder.FlushAsync(Ct);
        // The flush's quota-notice check counts, and so seeds the counter; these tests start without one.
        await _admin.GetDatabase().KeyDeleteAsync(Key(tenant));
    }
}
