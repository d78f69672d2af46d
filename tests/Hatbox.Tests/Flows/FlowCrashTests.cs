using System.Net;
using System.Text.Json;
using Hatbox.Tests.Db;
using Hatbox.Tests.Storage;

namespace Hatbox.Tests.Flows;

/// <summary>
/// <c>kill -9</c> in the middle of a run, then a restart on the same data: the run resumes at its
/// first unfinished step and ends exactly as it would have without the crash. A <c>wait</c> keeps
/// its deadline; steps that finished are not run again; the step that was running when the
/// process died runs again (at least once), with the same idempotency key.
/// </summary>
public sealed class FlowCrashTests
{
    [Fact]
    public async Task ARunKilledInAWaitResumesAfterRestartAndKeepsTheWaitsDeadline()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("hatbox-flow-crash-").FullName;
        try
        {
            var (apiKey, flowId, slug) = await SetUpAsync(data, new
            {
                name = "nap",
                steps = new object[]
                {
                    new { id = "make", uses = "db.query", with = new { query = "CREATE TABLE IF NOT EXISTS marks (id INTEGER PRIMARY KEY, name TEXT)" } },
                    new { id = "before", uses = "db.insert", with = new { table = "marks", data = new { name = "before" } } },
                    new { id = "nap", uses = "wait", with = new { seconds = 10 } },
                    new { id = "after", uses = "db.insert", with = new { table = "marks", data = new { name = "after" } } },
                },
            });
            string runId;
            string waitUntil;
            await using (var first = await HatboxProcess.StartAsync(data))
            {
                using var client = first.CreateClient();
                var trigger = TriggerInBackground(client, apiKey, flowId, ct);
                runId = await LatestRunIdAsync(data, slug, ct);
                var waiting = await WaitForAsync(client, apiKey, runId, run => Step(run, "nap")?.GetProperty("status").GetString() == "waiting", ct);
                waitUntil = Step(waiting, "nap")!.Value.GetProperty("waitUntil").GetString()!;
                await first.KillAsync();
                await Assert.ThrowsAnyAsync<Exception>(() => trigger);
            }

            await using var second = await HatboxProcess.StartAsync(data);
            using var restarted = second.CreateClient();
            var done = await WaitForAsync(restarted, apiKey, runId, run => run.GetProperty("status").GetString() != "in_progress", ct);

            Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
            var nap = Step(done, "nap")!.Value;
            Assert.Equal(Instant(waitUntil), Instant(nap.GetProperty("waitUntil").GetString()!));
            Assert.True(Instant(Step(done, "after")!.Value.GetProperty("startedAt").GetString()!) >= Instant(waitUntil));
            var db = new DbClient(restarted, apiKey);
            Assert.Equal(["before", "after"], (await db.RowsAsync("SELECT name FROM marks ORDER BY id")).Select(r => r.GetProperty("name").GetString()));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task ARunKilledBetweenTwoInsertsInsertsEachRowExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("hatbox-flow-crash-").FullName;
        await using var outside = await OutsideService.StartAsync();
        try
        {
            var config = Path.Combine(data, "flows-test.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Flows = new { Http = new { AllowedDestinations = new[] { $"127.0.0.1:{outside.Port}" } } } }), ct);
            var (apiKey, flowId, slug) = await SetUpAsync(data, new
            {
                name = "two inserts",
                steps = new object[]
                {
                    new { id = "make", uses = "db.query", with = new { query = "CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, name TEXT)" } },
                    new { id = "first", uses = "db.insert", with = new { table = "orders", data = new { name = "first" } } },
                    new { id = "notify", uses = "http", with = new { url = outside.BaseUrl + "/hang" } },
                    new { id = "second", uses = "db.insert", with = new { table = "orders", data = new { name = "second" } } },
                },
            });
            string runId;
            await using (var first = await HatboxProcess.StartAsync(data, "--config", config))
            {
                using var client = first.CreateClient();
                var trigger = TriggerInBackground(client, apiKey, flowId, ct);
                await outside.HangReached.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
                // At once: the call must still be in flight when the process dies.
                await first.KillAsync();
                await Assert.ThrowsAnyAsync<Exception>(() => trigger);
            }
            outside.Release.TrySetResult();
            runId = await LatestRunIdAsync(data, slug, ct);

            await using var second = await HatboxProcess.StartAsync(data, "--config", config);
            using var restarted = second.CreateClient();
            var done = await WaitForAsync(restarted, apiKey, runId, run => run.GetProperty("status").GetString() != "in_progress", ct);

            Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
            var db = new DbClient(restarted, apiKey);
            Assert.Equal(["first", "second"], (await db.RowsAsync("SELECT name FROM orders ORDER BY id")).Select(r => r.GetProperty("name").GetString()));
            // The call in flight at the crash went out again (at least once), with the same key both times.
            var keys = outside.Calls["/hang"].ToArray();
            Assert.Equal(2, keys.Length);
            Assert.Equal($"{runId}:/steps/2", keys[0]);
            Assert.Equal(keys[0], keys[1]);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    static async Task<(string ApiKey, string FlowId, string Slug)> SetUpAsync(string data, object flow)
    {
        var slug = "crash-" + Guid.NewGuid().ToString("N")[..8];
        var boot = await HatboxProcess.AdminAsync(data, "admin", "bootstrap", "--email", $"{slug}@example.test",
            "--password", "a long test password", "--org", "Crash", "--workspace", slug);
        var file = Path.Combine(data, "flow.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(flow), TestContext.Current.CancellationToken);
        var created = await HatboxProcess.AdminAsync(data, "admin", "flows", "create", "--workspace", slug, "--file", file);
        return (boot.GetProperty("apiKey").GetString()!, created.GetProperty("flowId").GetString()!, slug);
    }

    static Task TriggerInBackground(HttpClient client, string apiKey, string flowId, CancellationToken ct) => Task.Run(async () =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/flows/trigger/{flowId}") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("Authorization", apiKey);
        using var response = await client.SendAsync(request, ct);
        throw new InvalidOperationException($"The trigger answered {(int)response.StatusCode} before the crash.");
    }, ct);

    /// <summary>The run the trigger started, through the CLI on the same data (safe while the server runs).</summary>
    static async Task<string> LatestRunIdAsync(string data, string slug, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var runs = await HatboxProcess.AdminAsync(data, "admin", "flows", "runs", "--workspace", slug);
            if (runs.GetArrayLength() > 0)
            {
                return runs[0].GetProperty("analyticsId").GetString()!;
            }
            await Task.Delay(200, ct);
        }
        throw new InvalidOperationException("No run was recorded.");
    }

    static async Task<JsonElement> WaitForAsync(HttpClient client, string apiKey, string runId, Func<JsonElement, bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/flows/runs/{runId}");
            request.Headers.TryAddWithoutValidation("Authorization", apiKey);
            using var response = await client.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var run = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                if (done(run))
                {
                    return run;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} did not get there in time");
            await Task.Delay(200, ct);
        }
    }

    static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    static JsonElement? Step(JsonElement run, string id) =>
        run.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("id").GetString() == id).Select(s => (JsonElement?)s).FirstOrDefault();
}
