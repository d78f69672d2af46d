using Hatbox.Common.Redis;
using StackExchange.Redis;

namespace Hatbox.Features.RateLimits;

/// <summary>
/// Buckets in Redis, shared by every node: one Lua script per take runs <see cref="TokenBucket"/>'s
/// arithmetic atomically on the server, so of any number of concurrent callers on any number of
/// nodes exactly as many succeed as there are tokens. Time is Redis's own clock (<c>TIME</c>), so
/// the nodes' clocks never matter. A bucket whose limit changed (a new plan) starts afresh.
/// </summary>
internal sealed class RedisRateLimitStore(RedisConnection redis) : IRateLimitStore
{
    public const string KeyPrefix = "hatbox:rl:";

    // take(key, capacity, now): one token from the bucket at key, whose capacity is its requests per
    // minute, at now (microseconds of Redis's clock, from redis_now()). Replies { allowed (1/0),
    // remaining, seconds to full, retry after }. Shared by TakeScript and RedisAdmissionCounter's script.
    // A bucket refills completely within 60 s, so one idle that long is the same as a missing one:
    // the TTL drops it without changing any answer. Lua numbers are doubles, as TokenBucket's are;
    // replies are integers, so the rounding happens here, as TokenBucket does it.
    internal const string BucketFunctions = """
        local function redis_now()
          local clock = redis.call('TIME')
          return tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        end
        local function take(key, capacity, now)
          local state = redis.call('HMGET', key, 'capacity', 'tokens', 'at')
          local per_second = capacity / 60
          local tokens = capacity
          if tonumber(state[1]) == capacity then
            local elapsed = math.max(0, now - tonumber(state[3])) / 1000000
            tokens = math.min(capacity, tonumber(state[2]) + elapsed * per_second)
          end
          local allowed = 0
          if tokens >= 1 then
            tokens = tokens - 1
            allowed = 1
          end
          redis.call('HSET', key, 'capacity', capacity, 'tokens', tokens, 'at', now)
          redis.call('EXPIRE', key, 60)
          local retry_after = 1
          if allowed == 0 then
            retry_after = math.max(1, math.ceil((1 - tokens) / per_second))
          end
          return { allowed, math.floor(tokens), math.ceil((capacity - tokens) / per_second), retry_after }
        end

        """;

    // KEYS[1] the bucket; ARGV[1] its capacity (= requests per minute).
    internal const string TakeScript = BucketFunctions + "return take(KEYS[1], tonumber(ARGV[1]), redis_now())";

    public async ValueTask<RateLimitDecision> TakeAsync(string bucket, int perMinute, CancellationToken cancellationToken)
    {
        var reply = (RedisResult[])(await redis.EvaluateAsync(TakeScript, [KeyPrefix + bucket], [perMinute]))!;
        return new RateLimitDecision((int)reply[0] == 1, perMinute, (int)reply[1], (int)reply[2], (int)reply[3]);
    }
}
