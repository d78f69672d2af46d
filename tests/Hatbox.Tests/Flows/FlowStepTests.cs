using System.Diagnostics;
using System.Net;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Flows;

/// <summary>Every step kind through a real trigger, with the outside services a loopback stand-in (private addresses allowed here).</summary>
public sealed class FlowStepTests(FlowStepTests.Fixture fixture) : IClassFixture<FlowStepTests.Fixture>
{
    readonly OutsideService _outside = fixture.Outside;
    readonly TestServer _server = fixture.Server;
    readonly HttpClient _http = fixture.Http;

    /// <summary>One server and one stand-in for the whole class; each test makes its own tenant.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public OutsideService Outside { get; private set; } = null!;
        public TestServer Server { get; private set; } = null!;
        public HttpClient Http { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Outside = await OutsideService.StartAsync();
            Server = await TestServer.StartAsync(new()
            {
                ["Flows:Http:AllowPrivateNetworks"] = "true",
                ["Flows:Script:TimeoutMilliseconds"] = "1000",
                // High enough that an endless loop meets the time limit first.
                ["Flows:Script:MaxStatements"] = "1000000000",
            });
            Http = Server.CreateClient();
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
            await Outside.DisposeAsync();
        }
    }

    [Fact]
    public async Task ScriptsAndExpressionsMakeTheTriggersData()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "greet",
            steps = new object[]
            {
                new { id = "greeting", uses = "script", with = new { code = "return { text: 'Hello ' + input.data.name, n: input.data.n * 2 };" } },
                new { id = "shout", uses = "script", with = new { code = "return steps.greeting.output.text.toUpperCase();" } },
            },
            output = new { greeting = "${{ steps.greeting.output.text }}", loud = "${{ steps.shout.output }}", n = "${{ steps.greeting.output.n }}", label = "n=${{ steps.greeting.output.n }}" },
        });

        var answer = await flows.RunOkAsync(flowId, new { data = new { name = "Ada", n = 21 } });

        Assert.True(answer.GetProperty("success").GetBoolean());
        Assert.Equal("completed", answer.GetProperty("status").GetString());
        var data = answer.GetProperty("data");
        Assert.Equal("Hello Ada", data.GetProperty("greeting").GetString());
        Assert.Equal("HELLO ADA", data.GetProperty("loud").GetString());
        Assert.Equal(42, data.GetProperty("n").GetInt32());
        Assert.Equal("n=42", data.GetProperty("label").GetString());
        var run = await flows.GetRunAsync(answer.GetProperty("analytics_id").GetString()!);
        Assert.Equal(["greeting", "shout"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.All(run.GetProperty("steps").EnumerateArray(), s => Assert.Equal(1, s.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task WithoutAnOutputTheLastStepsValueIsTheDataWrappedWhenNotAnObject()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new { name = "last", steps = new[] { new { id = "n", uses = "script", with = new { code = "return 7;" } } } });

        var answer = await flows.RunOkAsync(flowId);

        Assert.Equal(7, answer.GetProperty("data").GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task DbStepsChangeTheWorkspacesOwnDatabaseAsTheDbApiWould()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "db",
            steps = new object[]
            {
                new { id = "make", uses = "db.query", with = new { query = "CREATE TABLE IF NOT EXISTS tags (id INTEGER PRIMARY KEY, name TEXT, n INTEGER)" } },
                new { id = "add", uses = "db.insert", with = new { table = "tags", data = new { name = "${{ input.tag }}", n = 1 } } },
                new { id = "other", uses = "db.insert", with = new { table = "tags", data = new { name = "gone", n = 9 } } },
                new { id = "bump", uses = "db.update", with = new { table = "tags", data = new { n = 2 }, where = new { name = "${{ input.tag }}" } } },
                new { id = "drop", uses = "db.delete", with = new { table = "tags", where = new { name = "gone" } } },
                new { id = "read", uses = "db.query", with = new { query = "SELECT name, n FROM tags WHERE name = {name}", @params = new { name = "${{ input.tag }}" } } },
            },
            output = new { inserted = "${{ steps.add.output.data.name }}", updated = "${{ steps.bump.output.count }}", deleted = "${{ steps.drop.output.count }}", rows = "${{ steps.read.output.data }}" },
        });

        var data = (await flows.RunOkAsync(flowId, new { tag = "vip" })).GetProperty("data");

        Assert.Equal("vip", data.GetProperty("inserted").GetString());
        Assert.Equal(1, data.GetProperty("updated").GetInt32());
        Assert.Equal(1, data.GetProperty("deleted").GetInt32());
        var row = Assert.Single(data.GetProperty("rows").EnumerateArray());
        Assert.Equal(2, row.GetProperty("n").GetInt32());
        // The same rows through /db with the same key: the flow wrote to this workspace's production database.
        var db = new Db.DbClient(_http, flows.Tenant.ApiKey);
        Assert.Equal(1, await db.CountAsync("tags"));
    }

    [Fact]
    public async Task ADbStepsSqlErrorFailsTheRunWithTheDbApisCode()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "bad sql",
            steps = new object[]
            {
                new { id = "missing", uses = "db.insert", with = new { table = "nope", data = new { a = 1 } } },
            },
        });

        var failed = await flows.RunFailsAsync(flowId);

        Assert.Equal("missing", failed.GetProperty("failed_step").GetString());
        Assert.Equal("table_not_found", FlowCalls.StepErrorCode(failed));
    }

    [Fact]
    public async Task HostileSqlInADbStepIsRefusedLikeOnTheDbApi()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "attach",
            steps = new object[] { new { id = "evil", uses = "db.query", with = new { query = "ATTACH DATABASE '/tmp/x.db' AS x" } } },
        });

        var failed = await flows.RunFailsAsync(flowId);

        Assert.Equal("query_not_allowed", FlowCalls.StepErrorCode(failed));
    }

    [Fact]
    public async Task HttpStepsAnswerStatusHeadersAndParsedBodyWithAStableIdempotencyKey()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "http",
            steps = new object[]
            {
                new { id = "call", uses = "http", with = new { method = "POST", url = _outside.BaseUrl + "/echo", body = new { text = "${{ input.msg }}" } } },
            },
        });

        var answer = await flows.RunOkAsync(flowId, new { msg = "hi" });

        var output = answer.GetProperty("data");
        Assert.Equal(200, output.GetProperty("status").GetInt32());
        Assert.Equal("hi", output.GetProperty("body").GetProperty("text").GetString());
        Assert.StartsWith("application/json", output.GetProperty("headers").GetProperty("content-type").GetString(), StringComparison.Ordinal);
        Assert.Contains(answer.GetProperty("analytics_id").GetString() + ":/steps/0", _outside.Calls["/echo"]);
    }

    [Fact]
    public async Task RetriesSendTheSameIdempotencyKeyUntilTheStepSucceeds()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "flaky",
            steps = new object[] { new { id = "call", uses = "http", retry = new { max = 2, backoff = "100ms" }, with = new { url = _outside.BaseUrl + "/flaky" } } },
        });

        var answer = await flows.RunOkAsync(flowId);

        Assert.Equal(2, answer.GetProperty("data").GetProperty("body").GetProperty("attempt").GetInt32());
        var run = await flows.GetRunAsync(answer.GetProperty("analytics_id").GetString()!);
        Assert.Equal(2, Assert.Single(run.GetProperty("steps").EnumerateArray()).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task AStepThatKeepsFailingFailsTheRunAfterBackingOffBetweenItsRetries()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "failing",
            steps = new object[] { new { id = "call", uses = "http", retry = new { max = 2, backoff = "200ms" }, with = new { url = _outside.BaseUrl + "/fail" } } },
        });
        var clock = Stopwatch.StartNew();

        var failed = await flows.RunFailsAsync(flowId);

        // 200 ms, then 400 ms: exponential.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(600), $"took {clock.Elapsed}");
        Assert.Equal("http_error", FlowCalls.StepErrorCode(failed));
        var run = await flows.GetRunAsync(failed.GetProperty("analytics_id").GetString()!);
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(3, Assert.Single(run.GetProperty("steps").EnumerateArray()).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task AStepPastItsTimeoutFailsWithStepTimeout()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "slow",
            steps = new object[] { new { id = "call", uses = "http", timeout = "300ms", with = new { url = _outside.BaseUrl + "/slow" } } },
        });
        var clock = Stopwatch.StartNew();

        var failed = await flows.RunFailsAsync(flowId);

        Assert.Equal("step_timeout", FlowCalls.StepErrorCode(failed));
        // The stand-in stalls for 20 s; the step gave up long before.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ARunPastTheFlowsTimeoutFailsWithFlowTimeout()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "too long",
            timeout = "1s",
            steps = new object[] { new { id = "nap", uses = "wait", with = new { seconds = 30 } }, new { id = "after", uses = "script", with = new { code = "return 1;" } } },
        });

        var failed = await flows.RunFailsAsync(flowId);

        Assert.Equal("flow_timeout", FlowCalls.StepErrorCode(failed));
    }

    [Fact]
    public async Task WaitIfAndForeachRecordTheirDecisionsAndOutputs()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "control",
            steps = new object[]
            {
                new { id = "nap", uses = "wait", with = new { seconds = 1 } },
                new
                {
                    id = "each", uses = "foreach",
                    with = new { items = "${{ input.numbers }}", concurrency = 3, steps = new object[] { new { id = "square", uses = "script", with = new { code = "return item * item + index * 0;" } } } },
                },
                new
                {
                    id = "pick", uses = "if",
                    with = new
                    {
                        condition = "${{ input.plan === 'pro' }}",
                        then = new object[] { new { id = "pro", uses = "script", with = new { code = "return 'pro';" } } },
                        @else = new object[] { new { id = "basic", uses = "script", with = new { code = "return 'basic';" } } },
                    },
                },
            },
            output = new { squares = "${{ steps.each.output }}", plan = "${{ steps.pick.output }}" },
        });
        var clock = Stopwatch.StartNew();

        var answer = await flows.RunOkAsync(flowId, new { numbers = Numbers, plan = "free" });

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1));
        var data = answer.GetProperty("data");
        Assert.Equal([1, 4, 9, 16, 25, 36], data.GetProperty("squares").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("basic", data.GetProperty("plan").GetString());
        var steps = (await flows.GetRunAsync(answer.GetProperty("analytics_id").GetString()!)).GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(6, steps.Count(s => s.GetProperty("id").GetString() == "square"));
        Assert.DoesNotContain(steps, s => s.GetProperty("id").GetString() == "pro");
        Assert.False(steps.Single(s => s.GetProperty("id").GetString() == "pick").GetProperty("input").GetProperty("condition").GetBoolean());
    }

    static readonly int[] Numbers = [1, 2, 3, 4, 5, 6];

    [Fact]
    public async Task FileTriggersStoreTheFileAndFileReadParsesItAsCsv()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "csv",
            steps = new object[] { new { id = "rows", uses = "file.read", with = new { @as = "csv" } } },
            output = new { rows = "${{ steps.rows.output }}", name = "${{ input.file.name }}", note = "${{ input.note }}" },
        });
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent("name,qty\nbolt,3\n\"nut, hex\",5\n"u8.ToArray()), "file", "parts.csv" },
            { new StringContent("from a test"), "note" },
        };

        using var response = await flows.SendAsync(HttpMethod.Post, $"/flows/file/{flowId}", form);

        var data = (await FlowCalls.ReadAsync(response, HttpStatusCode.OK)).GetProperty("data");
        Assert.Equal("parts.csv", data.GetProperty("name").GetString());
        Assert.Equal("from a test", data.GetProperty("note").GetString());
        var rows = data.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("nut, hex", rows[1].GetProperty("name").GetString());
        Assert.Equal("5", rows[1].GetProperty("qty").GetString());
    }

    [Fact]
    public async Task FileTriggersByUrlDownloadTheFile()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new { name = "url", steps = new object[] { new { id = "text", uses = "file.read" } } });
        using var form = new MultipartFormDataContent { { new StringContent(_outside.BaseUrl + "/file.csv"), "url" } };

        using var response = await flows.SendAsync(HttpMethod.Post, $"/flows/file/{flowId}", form);

        var data = (await FlowCalls.ReadAsync(response, HttpStatusCode.OK)).GetProperty("data");
        Assert.StartsWith("name,qty", data.GetProperty("result").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileTriggerWithoutFileOrUrlIsRefused()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new { name = "none", steps = new object[] { new { id = "text", uses = "file.read" } } });
        using var form = new MultipartFormDataContent { { new StringContent("x"), "note" } };

        using var response = await flows.SendAsync(HttpMethod.Post, $"/flows/file/{flowId}", form);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "parameter_missing");
    }

    [Theory]
    [InlineData("while (true) {}", "script_timeout")]
    [InlineData("const a = []; while (true) { a.push('x'.repeat(100000)); }", "script_memory_exceeded")]
    [InlineData("function f(n) { return f(n + 1) + 1; } return f(0);", "script_recursion_exceeded")]
    [InlineData("throw new Error('boom');", "script_error")]
    public async Task AScriptThatRunsAwayFailsItsRunWithinItsLimitsWhileOtherRequestsAreServed(string code, string expected)
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new { name = "runaway", steps = new object[] { new { id = "bad", uses = "script", with = new { code } } } });

        using (var warm = await _http.GetAsync("/health", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var run = flows.RunFailsAsync(flowId);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        var health = Stopwatch.StartNew();
        using (var answer = await _http.GetAsync("/health", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        Assert.True(health.Elapsed < TimeSpan.FromSeconds(2), $"health took {health.Elapsed}");
        var failed = await run;

        Assert.Equal(expected, FlowCalls.StepErrorCode(failed));
    }

    [Fact]
    public async Task ScriptsSeeNoDotNetNoClockAndNoRequire()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new
        {
            name = "sandbox",
            steps = new object[]
            {
                new { id = "probe", uses = "script", with = new { code = "return [typeof System, typeof importNamespace, typeof require, typeof Date.now, typeof fetch, typeof setTimeout];" } },
            },
        });

        var data = (await flows.RunOkAsync(flowId)).GetProperty("data").GetProperty("result");

        Assert.All(data.EnumerateArray(), t => Assert.Equal("undefined", t.GetString()));
    }

    [Fact]
    public async Task AnotherWorkspacesFlowAndRunAreNotFound()
    {
        var owner = await FlowCalls.ForNewTenantAsync(_server, _http);
        var stranger = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await owner.CreateAsync(new { name = "mine", steps = new object[] { new { id = "n", uses = "script", with = new { code = "return 1;" } } } });
        var runId = (await owner.RunOkAsync(flowId)).GetProperty("analytics_id").GetString()!;

        using var trigger = await stranger.TriggerAsync(flowId);
        await ErrorAssert.IsErrorAsync(trigger, HttpStatusCode.NotFound, "flow_not_found");
        using var file = await stranger.SendAsync(HttpMethod.Post, $"/flows/file/{flowId}", new MultipartFormDataContent { { new StringContent("x"), "note" } });
        await ErrorAssert.IsErrorAsync(file, HttpStatusCode.NotFound, "flow_not_found");
        using var run = await stranger.SendAsync(HttpMethod.Get, $"/flows/runs/{runId}");
        await ErrorAssert.IsErrorAsync(run, HttpStatusCode.NotFound, "flow_run_not_found");
        using var metrics = await stranger.SendAsync(HttpMethod.Get, "/flows/metrics");
        Assert.Equal(0, (await FlowCalls.ReadAsync(metrics, HttpStatusCode.OK)).GetProperty("metrics").GetProperty("total_workflows").GetInt32());
        using var unknown = await owner.TriggerAsync(Guid.NewGuid().ToString());
        await ErrorAssert.IsErrorAsync(unknown, HttpStatusCode.NotFound, "flow_not_found");
    }

    [Fact]
    public async Task ARevokedKeyCannotTrigger()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new { name = "n", steps = new object[] { new { id = "n", uses = "script", with = new { code = "return 1;" } } } });
        var (key, keyId) = await flows.Tenant.CreateKeyAsync(_server);
        await flows.Tenant.RevokeAsync(_server, keyId);

        using var response = await flows.TriggerAsync(flowId, apiKey: key);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    public async Task ABodyOverTheCapIsTooLargeAndBrokenJsonIsRefused()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var flowId = await flows.CreateAsync(new { name = "n", steps = new object[] { new { id = "n", uses = "script", with = new { code = "return 1;" } } } });

        using var big = await flows.TriggerAsync(flowId, new { blob = new string('x', 2 * 1024 * 1024) });
        await ErrorAssert.IsErrorAsync(big, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        using var broken = await flows.SendAsync(HttpMethod.Post, $"/flows/trigger/{flowId}", new StringContent("{\"a\":", System.Text.Encoding.UTF8, "application/json"));
        await ErrorAssert.IsErrorAsync(broken, HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task MetricsCountRunsByStatusAndUserAndPage()
    {
        var flows = await FlowCalls.ForNewTenantAsync(_server, _http);
        var ok = await flows.CreateAsync(new { name = "ok", steps = new object[] { new { id = "n", uses = "script", with = new { code = "return 1;" } } } });
        var bad = await flows.CreateAsync(new { name = "bad", steps = new object[] { new { id = "n", uses = "script", with = new { code = "throw 1;" } } } });
        for (var i = 0; i < 3; i++)
        {
            await flows.RunOkAsync(ok);
        }
        await flows.RunFailsAsync(bad);

        using var all = await flows.SendAsync(HttpMethod.Get, "/flows/metrics?limit=2");
        var answer = await FlowCalls.ReadAsync(all, HttpStatusCode.OK);
        var metrics = answer.GetProperty("metrics");
        Assert.Equal(4, metrics.GetProperty("total_workflows").GetInt32());
        Assert.Equal(3, metrics.GetProperty("completed_workflows").GetInt32());
        Assert.Equal(1, metrics.GetProperty("failed_workflows").GetInt32());
        Assert.Equal(4, metrics.GetProperty("metrics_by_user").GetProperty(flows.Tenant.UserId).GetProperty("total").GetInt32());
        Assert.Equal(2, answer.GetProperty("workflows").GetArrayLength());
        var first = answer.GetProperty("workflows")[0];
        Assert.Equal(bad, first.GetProperty("workflow_id").GetString());
        Assert.Equal(flows.Tenant.OrganizationId, first.GetProperty("org_id").GetString());

        using var failed = await flows.SendAsync(HttpMethod.Get, $"/flows/metrics?status=failed&user_id={flows.Tenant.UserId}&start_date={DateTime.UtcNow:yyyy-MM-dd}&end_date={DateTime.UtcNow:yyyy-MM-dd}");
        Assert.Equal(1, (await FlowCalls.ReadAsync(failed, HttpStatusCode.OK)).GetProperty("metrics").GetProperty("total_workflows").GetInt32());
        using var future = await flows.SendAsync(HttpMethod.Get, "/flows/metrics?start_date=2999-01-01");
        Assert.Equal(0, (await FlowCalls.ReadAsync(future, HttpStatusCode.OK)).GetProperty("metrics").GetProperty("total_workflows").GetInt32());
        using var badDate = await flows.SendAsync(HttpMethod.Get, "/flows/metrics?start_date=yesterday");
        await ErrorAssert.IsErrorAsync(badDate, HttpStatusCode.BadRequest, "parameter_invalid");
    }
}
