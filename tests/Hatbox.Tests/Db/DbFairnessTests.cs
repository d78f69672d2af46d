using System.Diagnostics;
using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

/// <summary>
/// Issue 17 item 5: one tenant's heavy SQL load must not starve another tenant or /health, and
/// what cannot run soon is refused with <c>503 database_busy</c> and <c>Retry-After</c>.
/// </summary>
public sealed class DbFairnessTests(ITestOutputHelper output)
{
    const string Endless = "WITH RECURSIVE forever(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM forever) SELECT count(*) FROM forever";

    /// <summary>
    /// Generous on 2 shared cores (DESIGN's target is 1 s, measured far below it: docs/durability.md);
    /// before the fix the same load made /health take 17 s.
    /// </summary>
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task TwentyOneSecondQueriesOfOneTenantLeaveAnotherTenantAndHealthFast()
    {
        // Each heavy statement runs exactly its one-second budget, then answers 422 query_timeout.
        await using var server = await TestServer.StartAsync(DbTestSettings.With(("Db:QueryTimeoutMilliseconds", "1000")));
        using var http = server.CreateClient();
        var heavy = new DbClient(http, (await TestTenant.CreateAsync(server)).ApiKey);
        var light = new DbClient(http, (await TestTenant.CreateAsync(server)).ApiKey);
        await light.QueryOkAsync("CREATE TABLE t (x INTEGER)");
        await light.QueryOkAsync("INSERT INTO t (x) VALUES (1)");
        var ct = TestContext.Current.CancellationToken;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var busy = 0;
        var timedOut = 0;
        var load = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await heavy.QueryAsync(Endless);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    await ErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable, ErrorCodes.DatabaseBusy);
                    Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
                    Interlocked.Increment(ref busy);
                }
                else
                {
                    await ErrorAssert.IsErrorAsync(response, HttpStatusCode.UnprocessableEntity, ErrorCodes.QueryTimeout);
                    Interlocked.Increment(ref timedOut);
                }
            }
        }, ct)).ToArray();

        await Task.Delay(500, ct);
        var queries = new List<TimeSpan>();
        var health = new List<TimeSpan>();
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromSeconds(6))
        {
            var clock = Stopwatch.StartNew();
            Assert.Single(await light.RowsAsync("SELECT x FROM t"));
            queries.Add(clock.Elapsed);
            clock.Restart();
            using (var response = await http.GetAsync("/health", ct))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            health.Add(clock.Elapsed);
            await Task.Delay(50, ct);
        }
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var queryP99 = Percentile(queries, 0.99);
        var healthP99 = Percentile(health, 0.99);
        output.WriteLine($"other tenant: n={queries.Count} p50={Percentile(queries, 0.5).TotalMilliseconds:0.0} ms p99={queryP99.TotalMilliseconds:0.0} ms max={queries.Max().TotalMilliseconds:0.0} ms");
        output.WriteLine($"/health: n={health.Count} p50={Percentile(health, 0.5).TotalMilliseconds:0.0} ms p99={healthP99.TotalMilliseconds:0.0} ms max={health.Max().TotalMilliseconds:0.0} ms");
        output.WriteLine($"heavy tenant: {timedOut} ran their second, {busy} refused database_busy");
        Assert.True(busy > 0, "The heavy tenant's excess was never refused.");
        Assert.True(timedOut > 0, "The heavy tenant never ran.");
        Assert.True(queryP99 < Bound, $"Other tenant's p99 {queryP99.TotalMilliseconds} ms");
        Assert.True(healthP99 < Bound, $"/health p99 {healthP99.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task AFullQueueIsRefusedAtOnceNotAfterALongWait()
    {
        await using var server = await TestServer.StartAsync(DbTestSettings.With(("Db:QueryTimeoutMilliseconds", "6000"),
            ("Db:MaxConcurrentStatementsPerOrganization", "1"), ("Db:MaxQueuedStatementsPerOrganization", "1"),
            ("Db:MaxQueueWaitMilliseconds", "10000")));
        using var http = server.CreateClient();
        var heavy = new DbClient(http, (await TestTenant.CreateAsync(server)).ApiKey);
        // Warm: a cold server's first requests take a second of their own on 2 shared cores.
        await heavy.QueryOkAsync("SELECT 1");
        var running = heavy.QueryAsync(Endless);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var queued = heavy.QueryAsync(Endless);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        var clock = Stopwatch.StartNew();
        using (var refused = await heavy.QueryAsync("SELECT 1"))
        {
            await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.ServiceUnavailable, ErrorCodes.DatabaseBusy);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }
        // Not after the running statement's 6 s, nor the 10 s the queue would let it wait.
        Assert.False(running.IsCompleted);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"Refused after {clock.Elapsed.TotalMilliseconds} ms");
        (await running).Dispose();
        (await queued).Dispose();
    }

    static TimeSpan Percentile(List<TimeSpan> values, double rank)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(rank * sorted.Count) - 1)];
    }
}
