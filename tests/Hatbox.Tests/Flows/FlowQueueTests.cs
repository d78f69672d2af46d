using System.Net;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Flows;

/// <summary>A short trigger wait (runs answer 202 and go on), one running run per workspace and a queue of three.</summary>
public sealed class FlowQueueTests() : ServerTest(new()
{
    ["Flows:TriggerWaitSeconds"] = "0.3",
    ["Flows:MaxConcurrentRunsPerWorkspace"] = "1",
    ["Flows:MaxQueuedRunsPerWorkspace"] = "3",
})
{
    [Fact]
    public async Task ARunStillGoingAnswers202AndCompletesLater()
    {
        var flows = await FlowCalls.ForNewTenantAsync(Server, Http);
        var flowId = await flows.CreateAsync(Napping(1));

        using var response = await flows.TriggerAsync(flowId);

        var answer = await FlowCalls.ReadAsync(response, HttpStatusCode.Accepted);
        Assert.Equal("in_progress", answer.GetProperty("status").GetString());
        var run = await WaitForStatusAsync(flows, answer.GetProperty("analytics_id").GetString()!, "completed");
        Assert.Equal("done", run.GetProperty("output").GetProperty("result").GetString());
    }

    [Fact]
    public async Task PastTheQueueCapTriggersGet429WhileOtherWorkspacesRunOn()
    {
        var busy = await FlowCalls.ForNewTenantAsync(Server, Http);
        var other = await FlowCalls.ForNewTenantAsync(Server, Http);
        var slow = await busy.CreateAsync(Napping(3));
        var quick = await other.CreateAsync(new { name = "quick", steps = new object[] { new { id = "n", uses = "script", with = new { code = "return 'quick';" } } } });
        for (var i = 0; i < 3; i++)
        {
            using var queued = await busy.TriggerAsync(slow);
            Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        }

        using var refused = await busy.TriggerAsync(slow);
        await ErrorAssert.IsErrorAsync(refused, HttpStatusCode.TooManyRequests, "flow_queue_full", "rate_limit_error");
        // The busy workspace's queue takes 9 s to drain; another workspace is not held up behind it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var answer = await other.TriggerAsync(quick);
        var runId = (await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken)).GetProperty("analytics_id").GetString()!;
        var run = await WaitForStatusAsync(other, runId, "completed");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Equal("quick", run.GetProperty("output").GetProperty("result").GetString());
    }

    static object Napping(int seconds) => new
    {
        name = "nap",
        steps = new object[]
        {
            new { id = "nap", uses = "wait", with = new { seconds } },
            new { id = "done", uses = "script", with = new { code = "return 'done';" } },
        },
    };

    internal static async Task<System.Text.Json.JsonElement> WaitForStatusAsync(FlowCalls flows, string runId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = await flows.GetRunAsync(runId);
            if (run.GetProperty("status").GetString() == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, run.GetProperty("status").GetString());
                return run;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
