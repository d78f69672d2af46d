using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Db;
using Hatbox.Features.Usage;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Ai;

/// <summary>
/// What AI calls cost: their own <c>ai</c> endpoint group in usage, the plan's quota, the
/// <c>embedded_rows</c> metric; and what their vectors cost in memory: over <c>Ai:MemoryBudgetBytes</c>
/// the least recently searched index leaves memory and reloads from disk with the same answers.
/// </summary>
public sealed class AiMeteringAndMemoryTests
{
    static readonly string[] Items =
    [
        "Wireless headphones with noise cancelling", "Cast iron skillet for searing", "Garden hose with spray nozzle",
        "Trail running shoes", "Espresso machine with milk frother", "Bluetooth speaker for the beach",
    ];

    static async Task SeedAsync(TestServer server, TestTenant tenant, params string[] tables)
    {
        var database = server.Services.GetRequiredService<ITenantDatabaseProvider>().Get(tenant.WorkspaceId, DbEnvironment.Production);
        foreach (var table in tables)
        {
            var values = string.Join(", ", Items.Select(i => $"('{i}')"));
            foreach (var sql in new[] { $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", $"INSERT INTO {table} (name) VALUES {values}" })
            {
                var ran = await database.QueryAsync(new TenantQuery(sql, SqlParameters.None, _ => Task.FromResult<ApiError?>(null)),
                    TestContext.Current.CancellationToken);
                Assert.True(ran.Succeeded);
            }
        }
    }

    static async Task<JsonElement> SearchUntilReadyAsync(DbClient db, string table, string query)
    {
        for (var attempt = 0; ; attempt++)
        {
            var body = await db.OkAsync(HttpMethod.Post, "/db/semantic-search", new { table, query, limit = 3 });
            if (body.GetProperty("_meta").GetProperty("index_status").GetProperty("state").GetString() == "ready")
                return body;
            Assert.True(attempt < 100, "the index never became ready");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    static async Task<UsageReport> UsageAsync(TestServer server, TestTenant tenant)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsageService>()
            .ReportAsync(tenant.OrganizationId, BillingMonth.Of(DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AiCallsCountInTheirOwnGroupAgainstThePlanAndEmbeddedRowsAreMetered()
    {
        await using var server = await TestServer.StartAsync(DbTestSettings.With(("Plans:free:RequestsPerMonth", "30")));
        using var http = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        await SeedAsync(server, tenant, "items");
        var db = new DbClient(http, tenant.ApiKey);

        await db.OkAsync(HttpMethod.Post, "/db/query", new { query = "SELECT 1" });
        await SearchUntilReadyAsync(db, "items", "music");
        var usage = await UsageAsync(server, tenant);
        var ai = usage.ByEndpoint.Single(e => e.Name == "ai").Requests;
        Assert.Equal(1, usage.ByEndpoint.Single(e => e.Name == "db").Requests);
        Assert.Equal(usage.Requests, ai + 1);
        // The backfill embedded every row once, and only once however often the table is searched.
        Assert.Equal(Items.Length, usage.Metrics![EmbeddedRowsMetric.MetricName]);

        // AI calls use up the plan's monthly requests like any other, then are refused.
        HttpResponseMessage response;
        while ((response = await db.SendAsync(HttpMethod.Post, "/db/cluster", new { table = "items", num_clusters = 2 })).StatusCode == HttpStatusCode.OK)
        {
            ai++;
            response.Dispose();
            Assert.True(ai < 30, "the quota never refused");
        }
        await DbClient.ErrorAsync(response, HttpStatusCode.TooManyRequests, "quota_exceeded");
        usage = await UsageAsync(server, tenant);
        Assert.Equal(ai + 1, usage.ByEndpoint.Single(e => e.Name == "ai").Requests);
        Assert.Equal(Items.Length, usage.Metrics![EmbeddedRowsMetric.MetricName]);

        // Another organization's figure is its own.
        var other = await TestTenant.CreateAsync(server);
        Assert.Equal(0, (await UsageAsync(server, other)).Metrics![EmbeddedRowsMetric.MetricName]);
    }

    [Fact]
    public async Task OverTheMemoryBudgetTheIdleIndexLeavesMemoryAndReloadsWithTheSameAnswers()
    {
        await using var server = await TestServer.StartAsync(DbTestSettings.With(("Ai:MemoryBudgetBytes", "1")));
        using var http = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        await SeedAsync(server, tenant, "first", "second");
        var db = new DbClient(http, tenant.ApiKey);
        var indexes = server.Services.GetRequiredService<SearchIndexes>();

        var before = await SearchUntilReadyAsync(db, "first", "wireless music");
        Assert.True(indexes.IsOpen(tenant.WorkspaceId, DbEnvironment.Production, "first"));
        await SearchUntilReadyAsync(db, "second", "coffee");

        Assert.False(indexes.IsOpen(tenant.WorkspaceId, DbEnvironment.Production, "first"));
        Assert.True(indexes.IsOpen(tenant.WorkspaceId, DbEnvironment.Production, "second"));
        Assert.True(indexes.Evictions >= 1);
        var embedded = indexes.EmbeddedRows;

        var after = await SearchUntilReadyAsync(db, "first", "wireless music");
        Assert.Equal(Answers(before), Answers(after));
        Assert.Equal(embedded, indexes.EmbeddedRows);
        Assert.False(indexes.IsOpen(tenant.WorkspaceId, DbEnvironment.Production, "second"));
    }

    static List<(long Id, double Similarity)> Answers(JsonElement body) =>
        [.. body.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("record").GetProperty("id").GetInt64(), r.GetProperty("similarity").GetDouble()))];
}
