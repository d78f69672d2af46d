using Hatbox.Common.Redis;
using StackExchange.Redis;

namespace Hatbox.Features.Usage;

/// <summary>
/// The monthly quota in Redis, one counter per organization and month, shared by every node. A missing
/// counter (a new month, a flushed or new Redis) is seeded once from the stored usage with
/// <c>SET NX</c>, so two nodes seeding at once agree; admitting is one Lua script that counts the
/// request only when it stays within the limit, so refused requests are never counted.
/// </summary>
internal sealed class RedisQuotaCounter(RedisConnection redis, IServiceScopeFactory scopes, TimeProvider time) : IQuotaCounter
{
    public const string KeyPrefix = "hatbox:quota:";

    /// <summary>How long a month's counter outlives the month: notices and nodes with a slightly late clock may still read it.</summary>
    static readonly TimeSpan AfterMonthEnd = TimeSpan.FromDays(7);

    // KEYS[1] the counter; ARGV[1] the limit, or -1 for none. Replies { admitted (1/0, or -1 when the
    // counter is missing and must be seeded first), count }.
    internal const string AdmitScript = """
        local count = tonumber(redis.call('GET', KEYS[1]))
        if count == nil then
          return { -1, 0 }
        end
        local limit = tonumber(ARGV[1])
        if limit >= 0 and count >= limit then
          return { 0, count }
        end
        return { 1, redis.call('INCR', KEYS[1]) }
        """;

    // KEYS[1] the counter. Replies the count, or -1 when it is missing.
    internal const string CountScript = "return tonumber(redis.call('GET', KEYS[1])) or -1";

    // KEYS[1] the counter; ARGV[1] the stored count, ARGV[2] seconds to live. Replies the count.
    internal const string SeedScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
        return tonumber(redis.call('GET', KEYS[1]))
        """;

    public async ValueTask<(bool Admitted, long Count)> TryAdmitAsync(string organizationId, string month, long? limit, CancellationToken cancellationToken)
    {
        RedisKey[] key = [Key(organizationId, month)];
        RedisValue[] arguments = [limit ?? -1];
        var reply = (RedisResult[])(await redis.EvaluateAsync(AdmitScript, key, arguments))!;
        if ((int)reply[0] == -1)
        {
            await SeedAsync(key, organizationId, month, cancellationToken);
            reply = (RedisResult[])(await redis.EvaluateAsync(AdmitScript, key, arguments))!;
        }
        return ((int)reply[0] == 1, (long)reply[1]);
    }

    public async ValueTask<long> CountAsync(string organizationId, string month, CancellationToken cancellationToken)
    {
        RedisKey[] key = [Key(organizationId, month)];
        var count = (long)await redis.EvaluateAsync(CountScript, key, []);
        return count >= 0 ? count : await SeedAsync(key, organizationId, month, cancellationToken);
    }

    /// <summary>Seeds a missing counter (RedisAdmissionCounter's script found none); one that exists wins.</summary>
    internal Task<long> SeedAsync(string organizationId, string month, CancellationToken cancellationToken) =>
        SeedAsync([Key(organizationId, month)], organizationId, month, cancellationToken);

    /// <summary>Sets the counter to the stored count unless it exists (then it wins); returns the counter.</summary>
    async Task<long> SeedAsync(RedisKey[] key, string organizationId, string month, CancellationToken cancellationToken)
    {
        var stored = await StoredUsage.AdmittedAsync(scopes, organizationId, month, cancellationToken);
        return (long)await redis.EvaluateAsync(SeedScript, key, [stored, (long)TimeToLive(month).TotalSeconds]);
    }

    TimeSpan TimeToLive(string month)
    {
        var now = time.GetUtcNow();
        // Months come from BillingMonth.Of and always parse; the fallback only keeps the arithmetic total.
        var start = BillingMonth.TryParse(month, out var parsed) ? parsed : now;
        var left = start.AddMonths(1) - now;
        return (left > TimeSpan.Zero ? left : TimeSpan.Zero) + AfterMonthEnd;
    }

    internal static RedisKey Key(string organizationId, string month) => KeyPrefix + organizationId + ":" + month;
}
