using Hatbox.Common.Redis;
using Hatbox.Features.Usage;
using StackExchange.Redis;

namespace Hatbox.Features.RateLimits;

/// <summary>
/// The key's bucket, the organization's bucket and the month's quota counter in one Lua script, so a
/// keyed request costs one Redis round trip instead of three (bench/README.md, "Scale-out"). The
/// script runs the same arithmetic as <see cref="RedisRateLimitStore"/> and
/// <see cref="RedisQuotaCounter"/> (their keys too, so both read what it wrote), atomically: exact
/// across nodes as each of them is, and a request the rate limit refuses is not counted in the quota.
/// </summary>
/// <remarks>
/// The three keys must be on one Redis server (a multi-key script; not Redis Cluster, whose slots
/// would split them). A missing quota counter is seeded first, as <see cref="RedisQuotaCounter"/>
/// does it, and the script runs again; it takes no token when it finds the counter missing.
/// </remarks>
internal sealed class RedisAdmissionCounter(RedisConnection redis, RedisQuotaCounter quota) : IAdmissionCounter
{
    // KEYS[1] the key's bucket, KEYS[2] the organization's, KEYS[3] the month's quota counter;
    // ARGV[1] requests per minute, ARGV[2] the monthly limit or -1 for none. Replies { -1 } when the
    // counter is missing (nothing taken), else take()'s four numbers and 1/0 for the quota.
    internal const string AdmitScript = RedisRateLimitStore.BucketFunctions + """
        local count = tonumber(redis.call('GET', KEYS[3]))
        if count == nil then
          return { -1 }
        end
        local capacity = tonumber(ARGV[1])
        local now = redis_now()
        local decision = take(KEYS[1], capacity, now)
        if decision[1] == 1 then
          local by_organization = take(KEYS[2], capacity, now)
          if by_organization[1] == 0 or by_organization[2] < decision[2] then
            decision = by_organization
          end
        end
        decision[5] = 0
        if decision[1] == 1 then
          local limit = tonumber(ARGV[2])
          if limit < 0 or count < limit then
            redis.call('INCR', KEYS[3])
            decision[5] = 1
          end
        end
        return decision
        """;

    public async ValueTask<AdmissionCount> CountAsync(
        string keyId, string organizationId, int perMinute, string month, long? quotaLimit, CancellationToken cancellationToken)
    {
        RedisKey[] keys =
        [
            RedisRateLimitStore.KeyPrefix + keyId, RedisRateLimitStore.KeyPrefix + organizationId, RedisQuotaCounter.Key(organizationId, month),
        ];
        RedisValue[] arguments = [perMinute, quotaLimit ?? -1];
        var reply = (RedisResult[])(await redis.EvaluateAsync(AdmitScript, keys, arguments))!;
        // Seeded at most once a month per organization; again only if the counter vanished meanwhile (a flushed Redis).
        for (var attempt = 0; (int)reply[0] == -1; attempt++)
        {
            if (attempt == 3)
            {
                throw new InvalidOperationException($"The quota counter {keys[2]} disappears as soon as it is seeded.");
            }
            await quota.SeedAsync(organizationId, month, cancellationToken);
            reply = (RedisResult[])(await redis.EvaluateAsync(AdmitScript, keys, arguments))!;
        }
        var decision = new RateLimitDecision((int)reply[0] == 1, perMinute, (int)reply[1], (int)reply[2], (int)reply[3]);
        return new AdmissionCount(decision, (int)reply[4] == 1);
    }
}
