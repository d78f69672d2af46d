using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Hatbox.FaultTests;

/// <summary>
/// <c>kill -9</c> of a real <c>hatbox serve</c> while a flow run is between two <c>db.insert</c>
/// steps (in the <c>wait</c> that separates them, at a random moment), then a restart on the same
/// data, <see cref="Trials"/> times: each run completes once, its first insert (finished before the
/// kill) is not repeated, its second runs after the restart, and every database stays intact.
/// </summary>
public sealed class FlowRunKillTests(ITestOutputHelper output)
{
    /// <summary>3 by default (each trial is a server start); <c>FAULT_TRIALS</c> sets it for the long run.</summary>
    static readonly int Trials = int.TryParse(Environment.GetEnvironmentVariable("FAULT_TRIALS"), CultureInfo.InvariantCulture, out var n) ? n : 3;

    // The trigger answers 202 with the run's id at once, so the test can watch the run while it executes.
    static readonly (string Key, string Value)[] Settings = [("HATBOX__Flows__TriggerWaitSeconds", "0")];

    static readonly object TwoInserts = new
    {
        name = "two inserts",
        steps = new object[]
        {
            new { id = "make", uses = "db.query", with = new { query = "CREATE TABLE IF NOT EXISTS marks (id INTEGER PRIMARY KEY, run TEXT NOT NULL, name TEXT NOT NULL)" } },
            new { id = "first", uses = "db.insert", with = new { table = "marks", data = new { run = "${{ run.id }}", name = "first" } } },
            // Two seconds: short enough to run in memory (not parked), long enough to be killed inside.
            new { id = "between", uses = "wait", with = new { seconds = 2 } },
            new { id = "second", uses = "db.insert", with = new { table = "marks", data = new { run = "${{ run.id }}", name = "second" } } },
        },
    };

    [Fact]
    public async Task ARunKilledBetweenTwoInsertsCompletesOnceAfterRestartWithEachRowOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("hatbox-faults-flow-").FullName;
        try
        {
            var tenant = await Tenant.BootstrapAsync(data);
            var file = Path.Combine(data, "flow.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(TwoInserts), ct);
            var flowId = (await ServerProcess.AdminAsync(data, "admin", "flows", "create", "--workspace", "faults", "--file", file))
                .GetProperty("flowId").GetString()!;
            var random = new Random(21);
            var runs = new List<string>();
            string? killedRun = null;

            // One server per trial: each checks the run the last one was killed in, then starts the next.
            for (var trial = 0; trial <= Trials; trial++)
            {
                var startedAt = DateTimeOffset.UtcNow;
                await using var server = await ServerProcess.StartAsync(data, Settings);
                using var client = server.CreateClient();
                if (killedRun is not null)
                {
                    var done = await WaitForAsync(tenant, client, killedRun, run => run.GetProperty("status").GetString() != "in_progress", ct);

                    Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
                    // The second insert ran on this server, so the kill really fell between the two.
                    var secondStarted = DateTimeOffset.Parse(Step(done, "second").GetProperty("startedAt").GetString()!, CultureInfo.InvariantCulture);
                    Assert.True(secondStarted >= startedAt, $"trial {trial}: the second insert started at {secondStarted}, before the kill");
                    Assert.Equal(["first", "second"], await RowsOfRunAsync(tenant, client, killedRun));
                    tenant.AssertEveryDatabaseIsIntact();
                }
                if (trial == Trials)
                {
                    // Nothing ran twice, and no run of an earlier trial gained or lost a row since.
                    foreach (var runId in runs)
                    {
                        Assert.Equal(["first", "second"], await RowsOfRunAsync(tenant, client, runId));
                    }
                    Assert.Equal(2 * Trials, (await tenant.RowsAsync(client, "SELECT id FROM marks")).Count);
                    break;
                }

                killedRun = await TriggerAsync(tenant, client, flowId, ct);
                runs.Add(killedRun);
                // The first insert is recorded as done and the wait has begun: the run is between the two inserts.
                await WaitForAsync(tenant, client, killedRun, run =>
                    StepStatus(run, "first") == "completed" && StepStatus(run, "between") is "running" or "waiting", ct);
                await Task.Delay(random.Next(800), ct);
                await server.KillAsync();
            }
            output.WriteLine($"{Trials} kills between two inserts: {Trials} runs completed once each, {2 * Trials} rows, none repeated or lost");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    static async Task<string> TriggerAsync(Tenant tenant, HttpClient client, string flowId, CancellationToken ct)
    {
        using var response = await tenant.SendAsync(client, HttpMethod.Post, $"/flows/trigger/{flowId}", JsonContent.Create(new { }), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("analytics_id").GetString()!;
    }

    static async Task<JsonElement> WaitForAsync(Tenant tenant, HttpClient client, string runId, Func<JsonElement, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await tenant.SendAsync(client, HttpMethod.Get, $"/flows/runs/{runId}", null, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var run = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
                if (done(run))
                {
                    return run;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} did not get there in time");
            await Task.Delay(50, ct);
        }
    }

    static async Task<List<string>> RowsOfRunAsync(Tenant tenant, HttpClient client, string runId) =>
        [.. (await tenant.RowsAsync(client, $"SELECT name FROM marks WHERE run = '{runId}' ORDER BY id")).Select(r => r.GetProperty("name").GetString()!)];

    static JsonElement Step(JsonElement run, string id) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    static string? StepStatus(JsonElement run, string id) =>
        run.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("id").GetString() == id)
            .Select(s => s.GetProperty("status").GetString()).FirstOrDefault();
}
