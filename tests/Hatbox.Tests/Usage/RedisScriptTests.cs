using Hatbox.Common.Redis;
using Hatbox.Features.RateLimits;
using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hatbox.Tests.Usage;

/// <summary>The rate-limit bucket's Lua script against a real Redis: the edges a pipeline test cannot reach.</summary>
public sealed class RedisScriptTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    RedisConnection _connection = null!;
    RedisRateLimitStore _store = null!;
    ConnectionMultiplexer _admin = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _connection = new RedisConnection(Options.Create(new RedisOptions { Configuration = redis.Configuration }), NullLogger<RedisConnection>.Instance);
        _store = new RedisRateLimitStore(_connection);
        _admin = await redis.ConnectAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _admin.DisposeAsync();
    }

    // Buckets are named by the ids they limit (key_…, org_…).
    static string NewBucket() => "key_" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ABucketGivesTheSameAnswersAsTheInProcessBucket()
    {
        var bucket = NewBucket();
        var local = new TokenBucket(3, 0);

        for (var i = 0; i < 4; i++)
        {
            var expected = local.TryTake(0, TimeSpan.TicksPerSecond);
            var actual = await _store.TakeAsync(bucket, 3, Ct);
            Assert.Equal(expected, actual);
        }
        var refused = await _store.TakeAsync(bucket, 3, Ct);
        Assert.False(refused.Allowed);
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(60, refused.ResetSeconds);
        Assert.Equal(20, refused.RetryAfterSeconds);
    }

    [Fact]
    public async Task ASpentBucketRefillsEvenlyOverTheMinuteAndNoFurther()
    {
        var bucket = NewBucket();
        for (var i = 0; i < 60; i++)
        {
            Assert.True((await _store.TakeAsync(bucket, 60, Ct)).Allowed);
        }
        Assert.False((await _store.TakeAsync(bucket, 60, Ct)).Allowed);

        // Half a minute later (the bucket's last take moved back 30 s): 30 tokens are back.
        await MoveLastTakeBackAsync(bucket, TimeSpan.FromSeconds(30));
        var half = await _store.TakeAsync(bucket, 60, Ct);
        Assert.True(half.Allowed);
        Assert.Equal(29, half.Remaining);

        // Ten minutes later the bucket holds its capacity, not more.
        await MoveLastTakeBackAsync(bucket, TimeSpan.FromMinutes(10));
        var full = await _store.TakeAsync(bucket, 60, Ct);
        Assert.Equal(59, full.Remaining);
        Assert.Equal(1, full.ResetSeconds);
    }

    [Fact]
    public async Task ANewLimitStartsTheBucketAfresh()
    {
        var bucket = NewBucket();
        Assert.True((await _store.TakeAsync(bucket, 2, Ct)).Allowed);
        Assert.True((await _store.TakeAsync(bucket, 2, Ct)).Allowed);
        Assert.False((await _store.TakeAsync(bucket, 2, Ct)).Allowed);

        var upgraded = await _store.TakeAsync(bucket, 5, Ct);

        Assert.True(upgraded.Allowed);
        Assert.Equal(5, upgraded.Limit);
        Assert.Equal(4, upgraded.Remaining);
    }

    [Fact]
    public async Task AnIdleBucketExpiresWithinAMinuteAndKeepsRedisTime()
    {
        var bucket = NewBucket();
        await _store.TakeAsync(bucket, 10, Ct);
        var database = _admin.GetDatabase();
        var key = RedisRateLimitStore.KeyPrefix + bucket;

        var ttl = await database.KeyTimeToLiveAsync(key);
        var at = (long)await database.HashGetAsync(key, "at");
        var serverNow = await _admin.GetServer(_admin.GetEndPoints()[0]).TimeAsync();

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        // The bucket's clock is Redis's (microseconds), whatever this machine's clock says.
        var atTime = DateTime.UnixEpoch.AddTicks(at * 10);
        Assert.InRange(serverNow - atTime, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task OfManyConcurrentTakesExactlyTheCapacitySucceed()
    {
        var bucket = NewBucket();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => _store.TakeAsync(bucket, 40, Ct).AsTask()));

        Assert.Equal(40, decisions.Count(d => d.Allowed));
    }

    async Task MoveLastTakeBackAsync(string bucket, TimeSpan by)
    {
        var database = _admin.GetDatabase();
        var key = RedisRateLimitStore.KeyPrefix + bucket;
        var at = (long)await database.HashGetAsync(key, "at");
        await database.HashSetAsync(key, "at", at - (long)by.TotalMicroseconds);
    }
}
