using Hatbox.Common.Errors;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Flows;

/// <summary>The <c>semantic-search</c> step on real rows with the real embedding model, against what <c>/db/semantic-search</c> answers.</summary>
public sealed class FlowSemanticSearchTests() : ServerTest(DbTestSettings.With())
{
    static readonly string[] Items =
    [
        "Wireless headphones with noise cancelling", "Cast iron skillet for searing", "Garden hose with spray nozzle",
        "Trail running shoes", "Espresso machine with milk frother", "Bluetooth speaker for the beach",
    ];

    static readonly object SearchFlow = new
    {
        name = "search",
        steps = new object[]
        {
            new { id = "find", uses = "semantic-search", with = new { table = "${{ input.table }}", query = "${{ input.q }}", limit = 3 } },
        },
        output = new { names = "${{ steps.find.output.results.map(r => r.record.name) }}", table = "${{ steps.find.output.results[0].table }}" },
    };

    [Fact]
    public async Task TheStepAnswersWhatTheSearchEndpointAnswersForTheSameKey()
    {
        var flows = await FlowCalls.ForNewTenantAsync(Server, Http);
        var db = new DbClient(Http, flows.Tenant.ApiKey);
        await db.QueryOkAsync("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        foreach (var item in Items)
        {
            await db.QueryOkAsync("INSERT INTO items (name) VALUES ($1)", DbClient.Positional(item));
        }
        var expected = await SearchWhenReadyAsync(db, "coffee in the morning");
        var flowId = await flows.CreateAsync(SearchFlow);

        var data = (await flows.RunOkAsync(flowId, new { table = "items", q = "coffee in the morning" })).GetProperty("data");

        Assert.Equal(expected, data.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray());
        Assert.Equal("Espresso machine with milk frother", expected[0]);
        Assert.Equal("items", data.GetProperty("table").GetString());
    }

    [Fact]
    public async Task AnotherWorkspacesTableAndHostileNamesFailTheRunAsUnknownTables()
    {
        var owner = await FlowCalls.ForNewTenantAsync(Server, Http);
        var stranger = await FlowCalls.ForNewTenantAsync(Server, Http);
        var ownerDb = new DbClient(Http, owner.Tenant.ApiKey);
        await ownerDb.QueryOkAsync("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        await ownerDb.QueryOkAsync("INSERT INTO items (name) VALUES ('secret')");
        var flowId = await stranger.CreateAsync(SearchFlow);

        foreach (var table in new[] { "items", "items\"; DROP TABLE items; --", "sqlite_master" })
        {
            var failed = await stranger.RunFailsAsync(flowId, new { table, q = "secret" });
            Assert.Equal(ErrorCodes.TableNotFound, FlowCalls.StepErrorCode(failed));
            Assert.Equal("find", failed.GetProperty("failed_step").GetString());
        }
        Assert.Equal(1, await ownerDb.CountAsync("items"));
    }

    [Fact]
    public async Task ArgumentsOfTheWrongShapeFailTheStepWithoutRetrying()
    {
        var flows = await FlowCalls.ForNewTenantAsync(Server, Http);
        var flowId = await flows.CreateAsync(new
        {
            name = "bad",
            steps = new object[] { new { id = "find", uses = "semantic-search", retry = new { max = 3, backoff = "1s" }, with = new { table = "items", query = "x", limit = "many" } } },
        });

        var failed = await flows.RunFailsAsync(flowId);

        Assert.Equal("step_argument_invalid", FlowCalls.StepErrorCode(failed));
        var run = await flows.GetRunAsync(failed.GetProperty("analytics_id").GetString()!);
        Assert.Equal(1, run.GetProperty("steps")[0].GetProperty("attempts").GetInt32());
    }

    static async Task<string[]> SearchWhenReadyAsync(DbClient db, string query)
    {
        for (var attempt = 0; ; attempt++)
        {
            var body = await db.OkAsync(HttpMethod.Post, "/db/semantic-search", new { table = "items", query, limit = 3 });
            var names = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("record").GetProperty("name").GetString()!).ToArray();
            // Indexing runs in the background (slower on the scale-out stores): wait for every row to be in.
            if ((body.GetProperty("_meta").GetProperty("index_status").GetProperty("state").GetString() == "ready" && names.Length == 3) || attempt > 600)
            {
                return names;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
