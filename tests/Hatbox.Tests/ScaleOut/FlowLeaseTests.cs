using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hatbox.Tests.Infrastructure;
using Npgsql;

using static Hatbox.Tests.ScaleOut.KeyedRequests;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// Two <c>hatbox serve</c> nodes on one PostgreSQL platform store run many flows whose steps each
/// insert a row tagged with the run and the step. One node is killed (<c>kill -9</c>) mid-way and
/// started again: every run completes on some node, the survivor's runs insert each row exactly once,
/// and of the killed node's runs only the step that was running at the crash may insert twice
/// (the at-least-once step of docs/flows.md).
/// </summary>
public sealed class FlowLeaseTests : IAsyncLifetime
{
    const int RunsPerNode = 16;
    static readonly string[] StepIds = ["s1", "s2", "s3", "s4"];
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly string _database = "hb_lease_" + Guid.NewGuid().ToString("N")[..12];
    readonly ScaleOutNode?[] _nodes = new ScaleOutNode?[2];
    Dictionary<string, string> _environment = null!;
    string _connection = null!;

    public async ValueTask InitializeAsync()
    {
        ScaleOutStores.RequirePostgres();
        _connection = await ScaleOutStores.CreateDatabaseAsync(_database);
        _environment = new(ScaleOutStores.NodeEnvironment(_connection))
        {
            // Triggers answer at once (202) and every run starts on the node that took its trigger.
            ["HATBOX__Flows__TriggerWaitSeconds"] = "0",
            ["HATBOX__Flows__MaxConcurrentRunsPerWorkspace"] = "64",
            // A dead node's runs are taken over within seconds, not the default half-minute.
            ["HATBOX__Flows__LeaseSeconds"] = "4",
            ["HATBOX__Flows__PollSeconds"] = "0.2",
            // Many runs at once on one workspace: a larger pool per node than the default 4, and a role
            // limit across the cluster (Tenants:MaxServerConnectionsPerTenant) that covers both nodes' pools.
            ["HATBOX__Tenants__MaxConnectionsPerTenant"] = "40",
            ["HATBOX__Tenants__MaxServerConnectionsPerTenant"] = "80",
        };
        var started = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => ScaleOutNode.StartAsync(_environment)));
        started.CopyTo(_nodes, 0);
    }

    [Fact]
    public async Task RunsSpreadOverTwoNodesCompleteAfterOneIsKilledAndOnlyItsInFlightStepRunsTwice()
    {
        var boot = await ScaleOutNode.AdminAsync(_environment, "admin", "bootstrap", "--email", "lease@example.test",
            "--password", "a long test password", "--org", "Leases", "--workspace", "leases");
        var key = boot.GetProperty("apiKey").GetString()!;
        var flowFile = Path.Combine(_nodes[0]!.DataDirectory, "flow.json");
        await File.WriteAllTextAsync(flowFile, JsonSerializer.Serialize(new
        {
            name = "Marks",
            // Each step a tenant write; waits between them (short enough to keep the lease, under 2 s) keep
            // runs going long enough to be cut by the kill.
            steps = StepIds.SelectMany((id, i) => new object[]
            {
                new { id, uses = "db.insert", with = new { table = "marks", data = new { run_id = "${{ run.id }}", step = id } } },
                new { id = $"pause{i}", uses = "wait", with = new { seconds = 1.5 } },
            }).ToArray(),
        }), Ct);
        var flowId = (await ScaleOutNode.AdminAsync(_environment, "admin", "flows", "create", "--workspace", "leases", "--file", flowFile))
            .GetProperty("flowId").GetString()!;
        using (var a = _nodes[0]!.CreateClient())
        {
            await OkAsync(a, "/db/query", key, new { query = "CREATE TABLE marks (id bigserial PRIMARY KEY, run_id text NOT NULL, step text NOT NULL)" });
        }

        // Watch which node holds each run's lease while they execute.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var watcher = WatchLeasesAsync(owners, watching.Token);

        // Triggers through both nodes at once, alternating.
        var triggeredOn = new Dictionary<string, int>(StringComparer.Ordinal);
        using var clients = new DisposableClients(_nodes[0]!.CreateClient(), _nodes[1]!.CreateClient());
        var triggers = Enumerable.Range(0, 2 * RunsPerNode).Select(async i =>
        {
            var node = i % 2;
            using var response = await SendAsync(clients[node], HttpMethod.Post, $"/flows/trigger/{flowId}", key, JsonContent.Create(new { i }));
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"trigger {i}: {(int)response.StatusCode} {text}");
            return (Run: JsonDocument.Parse(text).RootElement.GetProperty("analytics_id").GetString()!, Node: node);
        }).ToList();
        foreach (var (run, node) in await Task.WhenAll(triggers))
        {
            triggeredOn[run] = node;
        }

        // Kill node 0 once work is under way, and note which of its runs were still going.
        await WaitUntilAsync(async () => (await MarksAsync()).Values.Sum() >= 8, "the first rows");
        await _nodes[0]!.KillAsync();
        var inFlightOnKilled = (await InProgressRunsAsync()).Where(r => triggeredOn[r] == 0).ToHashSet(StringComparer.Ordinal);
        Assert.True(inFlightOnKilled.Count > 0, $"no run of the killed node was in progress; failures: {await FailuresAsync()}");
        HashSet<string> ownersBeforeKill;
        lock (owners)
        {
            ownersBeforeKill = owners.Values.SelectMany(o => o).ToHashSet(StringComparer.Ordinal);
        }
        await _nodes[0]!.DisposeAsync();
        _nodes[0] = await ScaleOutNode.StartAsync(_environment);

        // Every run completes (the survivor or the restarted node takes the dead node's runs after their lease).
        await WaitUntilAsync(async () => (await InProgressRunsAsync()).Count == 0, "every run to finish");
        await watching.CancelAsync();
        await watcher;
        var failures = await FailuresAsync();
        Assert.True(failures.Length == 0, $"runs failed: {failures}");
        Assert.Equal(2 * RunsPerNode, await ScalarAsync("SELECT count(*) FROM flow_runs WHERE \"Status\" = 'completed'"));

        var rows = await MarksAsync();
        foreach (var (run, node) in triggeredOn)
        {
            var twice = new List<string>();
            foreach (var step in StepIds)
            {
                var count = rows.GetValueOrDefault((run, step));
                Assert.True(count >= 1, $"run {run} has no row of {step}");
                if (count > 1)
                {
                    Assert.True(count == 2 && inFlightOnKilled.Contains(run), $"run {run} (node {node}) wrote {step} {count} times");
                    twice.Add(step);
                }
            }
            Assert.True(twice.Count <= 1, $"run {run} repeated {string.Join(", ", twice)}: only the step in flight at the crash may repeat");
        }

        // Both nodes held runs before the kill, and the killed node's runs were taken over by another node.
        Assert.Equal(2, ownersBeforeKill.Count);
        Assert.Contains(inFlightOnKilled, run => owners.GetValueOrDefault(run)?.Count >= 2);
    }

    async Task WatchLeasesAsync(Dictionary<string, HashSet<string>> owners, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        while (!cancellationToken.IsCancellationRequested)
        {
            await using (var command = new NpgsqlCommand("""SELECT "Id", "LeaseOwner" FROM flow_runs WHERE "LeaseOwner" IS NOT NULL""", connection))
            await using (var reader = await command.ExecuteReaderAsync(Ct))
            {
                while (await reader.ReadAsync(Ct))
                {
                    var run = reader.GetString(0);
                    lock (owners)
                    {
                        if (!owners.TryGetValue(run, out var set))
                        {
                            owners[run] = set = new HashSet<string>(StringComparer.Ordinal);
                        }
                        set.Add(reader.GetString(1));
                    }
                }
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Failed runs by error and step, for the assertion's message.</summary>
    async Task<string> FailuresAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""
            SELECT string_agg(e, '; ') FROM (SELECT concat("ErrorCode", ' at ', "ErrorStep", ' x', count(*), ': ', min("ErrorMessage")) AS e
            FROM flow_runs WHERE "Status" = 'failed' GROUP BY "ErrorCode", "ErrorStep") f
            """, connection);
        return await command.ExecuteScalarAsync(Ct) as string ?? "";
    }

    async Task<List<string>> InProgressRunsAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""SELECT "Id" FROM flow_runs WHERE "Status" = 'in_progress'""", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var runs = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            runs.Add(reader.GetString(0));
        }
        return runs;
    }

    async Task<Dictionary<(string Run, string Step), int>> MarksAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        var table = await MarksTableAsync(connection);
        await using var command = new NpgsqlCommand($"SELECT run_id, step, count(*)::int4 FROM {table} GROUP BY run_id, step", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new Dictionary<(string, string), int>();
        while (await reader.ReadAsync(Ct))
        {
            rows[(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
        }
        return rows;
    }

    /// <summary>The tenant's <c>marks</c> table, in whatever schema the tenant engine gave the workspace.</summary>
    static async Task<string> MarksTableAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_name = 'marks'", connection);
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }

    async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"waited {waited.Elapsed} for {what}");
            await Task.Delay(50, Ct);
        }
    }

    sealed class DisposableClients(params HttpClient[] clients) : IDisposable
    {
        public HttpClient this[int index] => clients[index];

        public void Dispose()
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
        if (_connection is not null)
        {
            await ScaleOutStores.DropDatabaseAsync(_database);
        }
    }
}
