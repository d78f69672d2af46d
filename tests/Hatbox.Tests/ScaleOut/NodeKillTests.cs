using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hatbox.Tests.Infrastructure;
using Npgsql;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// Three nodes on shared PostgreSQL, Redis and S3, writers on each (row inserts and uploads, every
/// acknowledged id kept), and <c>kill -9</c> of one node mid-load: the two others keep answering
/// with nothing but 2xx, every acknowledged row and file is there through them, usage adds up to the
/// answered requests, and the killed node restarts on its folder and serves again.
/// </summary>
public sealed class NodeKillTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Writers per node at once (one inserting, one uploading): what may be in flight on the killed node.</summary>
    const int WritersPerNode = 2;

    readonly string _database = "hb_kill_" + Guid.NewGuid().ToString("N")[..12];
    readonly List<ScaleOutNode> _nodes = [];
    RedisServer _redis = null!;
    Dictionary<string, string> _environment = null!;
    string _connection = null!;

    public async ValueTask InitializeAsync()
    {
        ScaleOutStores.RequirePostgres();
        ScaleOutStores.RequireS3();
        _redis = await RedisServer.StartAsync();
        _connection = await ScaleOutStores.CreateDatabaseAsync(_database);
        _environment = new(ScaleOutStores.NodeEnvironment(_connection, _redis.Configuration))
        {
            // A plan no load here reaches: the test is about crashes, not limits.
            ["HATBOX__Plans__load__RequestsPerMinute"] = "1000000",
            ["HATBOX__Plans__load__RequestsPerMonth"] = "100000000",
        };
        foreach (var (key, value) in ScaleOutStores.S3Settings(_database.Replace('_', '-')))
        {
            _environment["HATBOX__" + key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }
        _nodes.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ScaleOutNode.StartAsync(_environment))));
    }

    [Fact]
    public async Task KillingOneNodeUnderLoadLosesNoAcknowledgedWriteAndTheOthersKeepServing()
    {
        var boot = await ScaleOutNode.AdminAsync(_environment, "admin", "bootstrap", "--email", "kill@example.test",
            "--password", "a long test password", "--org", "Killed", "--workspace", "killed", "--plan", "load");
        var key = boot.GetProperty("apiKey").GetString()!;
        var load = new Load(key);
        var clients = _nodes.Select(n => n.CreateClient()).ToArray();
        using (var created = await load.SendAsync(clients[0], Post("/db/query", new { query = "CREATE TABLE acked (id bigint PRIMARY KEY, node int)" })))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        var victim = 2;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).SelectMany(node => new[]
        {
            Task.Run(() => load.InsertUntilAsync(clients[node], node, node == victim, stop.Token)),
            Task.Run(() => load.UploadUntilAsync(clients[node], node, node == victim, stop.Token)),
        }).ToArray();

        // Mid-load: once every node has acknowledged writes of both kinds, the victim dies.
        await WaitUntilAsync(() => Enumerable.Range(0, 3).All(n => load.RowsAckedBy(n) >= 5 && load.FilesAckedBy(n) >= 2), "writes on every node");
        await _nodes[victim].KillAsync();
        var rowsAtKill = load.SurvivorRows;
        await WaitUntilAsync(() => load.SurvivorRows >= rowsAtKill + 30, "writes on the survivors after the kill");
        stop.Cancel();
        await Task.WhenAll(writers);

        // The survivors answered every request, before and after the kill, with a 2xx.
        Assert.True(load.SurvivorFailures.IsEmpty, "survivors failed: " + string.Join(", ", load.SurvivorFailures));

        // Every acknowledged row and file, the victim's included, is there through each survivor.
        foreach (var survivor in new[] { clients[0], clients[1] })
        {
            using var rows = await load.SendAsync(survivor, Post("/db/query", new { query = "SELECT id FROM acked" }));
            var stored = (await rows.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("data").EnumerateArray()
                .Select(r => r.GetProperty("id").GetInt64()).ToHashSet();
            var lost = load.AckedRows.Where(id => !stored.Contains(id)).ToArray();
            Assert.True(lost.Length == 0, $"acknowledged rows lost: {string.Join(", ", lost)}");
        }
        foreach (var (fileId, bytes) in load.AckedFiles)
        {
            using var fetched = await load.SendAsync(clients[fileId.GetHashCode() & 1], new HttpRequestMessage(HttpMethod.Get, $"/storage/fetch/{fileId}"));
            Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
            var url = new Uri((await fetched.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("file").GetProperty("url").GetString()!);
            Assert.Equal(bytes, await clients[0].GetByteArrayAsync(url.PathAndQuery, Ct));
        }

        // The victim restarts on its own folder and rejoins: it serves, and sees every acknowledged row.
        var restarted = await ScaleOutNode.StartAsync(_environment, _nodes[victim].DataDirectory);
        _nodes.Add(restarted);
        using var rejoined = restarted.CreateClient();
        using (var count = await load.SendAsync(rejoined, Post("/db/query", new { query = "SELECT count(*) AS n FROM acked" })))
        {
            Assert.Equal(HttpStatusCode.OK, count.StatusCode);
            var n = (await count.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("data")[0].GetProperty("n").GetInt64();
            Assert.InRange(n, load.AckedRows.Count, load.AckedRows.Count + 1);
        }

        // Usage: each answered request once, across the nodes (the victim's journal replays on its restart);
        // only the victim's requests in flight when it died may be counted without an answer.
        var organization = boot.GetProperty("organizationId").GetString()!;
        var counted = 0L;
        for (var attempt = 0; attempt < 100 && counted < load.Answered; attempt++)
        {
            await Task.Delay(200, Ct);
            counted = await CountedRequestsAsync(organization);
        }
        await Task.Delay(2_500, Ct);
        counted = await CountedRequestsAsync(organization);
        Assert.InRange(counted, load.Answered, load.Answered + WritersPerNode);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var waited = 0; !condition(); waited += 50)
        {
            Assert.True(waited < 120_000, $"no {what} within two minutes");
            await Task.Delay(50, Ct);
        }
    }

    async Task<long> CountedRequestsAsync(string organization)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""SELECT coalesce(sum("Requests"), 0)::int8 FROM usage_daily WHERE "OrganizationId" = $1""", connection)
        {
            Parameters = { new NpgsqlParameter { Value = organization } },
        };
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>The writers' shared record: what each node acknowledged, what the survivors refused, how many answers came.</summary>
    sealed class Load(string key)
    {
        readonly ConcurrentDictionary<long, int> _rows = new();
        readonly ConcurrentDictionary<string, (int Node, byte[] Bytes)> _files = new();
        long _answered;

        public ConcurrentQueue<string> SurvivorFailures { get; } = new();

        /// <summary>Requests that got an answer (any status): each must be counted once in usage.</summary>
        public long Answered => Interlocked.Read(ref _answered);

        public ICollection<long> AckedRows => _rows.Keys;

        public IEnumerable<(string Id, byte[] Bytes)> AckedFiles => _files.Select(f => (f.Key, f.Value.Bytes));

        public int SurvivorRows => _rows.Count(r => r.Value != 2);

        public int RowsAckedBy(int node) => _rows.Count(r => r.Value == node);

        public int FilesAckedBy(int node) => _files.Count(f => f.Value.Node == node);

        public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var response = await client.SendAsync(request, Ct);
            Interlocked.Increment(ref _answered);
            return response;
        }

        public async Task InsertUntilAsync(HttpClient client, int node, bool victim, CancellationToken stop)
        {
            for (var id = node * 1_000_000L; !stop.IsCancellationRequested; id++)
            {
                if (await TryAsync(client, node, victim, Post("/db/insert", new { table = "acked", data = new { id, node } })) is { } answer)
                {
                    answer.Dispose();
                    _rows[id] = node;
                }
                else if (victim)
                {
                    return;
                }
            }
        }

        public async Task UploadUntilAsync(HttpClient client, int node, bool victim, CancellationToken stop)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes($"node {node} file {n} " + new string('x', 2_000 + n));
                var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", $"n{node}-{n}.txt" } };
                if (await TryAsync(client, node, victim, new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = form }) is { } answer)
                {
                    var id = (await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("file").GetProperty("id").GetString()!;
                    answer.Dispose();
                    _files[id] = (node, bytes);
                }
                else if (victim)
                {
                    return;
                }
            }
        }

        /// <summary>The 2xx answer, or null. Only the victim may fail (its connection dies with it); a survivor's failure is recorded.</summary>
        async Task<HttpResponseMessage?> TryAsync(HttpClient client, int node, bool victim, HttpRequestMessage request)
        {
            try
            {
                var response = await SendAsync(client, request);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }
                if (!victim)
                {
                    SurvivorFailures.Enqueue($"node {node} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
                }
                response.Dispose();
                return null;
            }
            catch (HttpRequestException) when (victim)
            {
                return null;
            }
            catch (HttpRequestException e)
            {
                SurvivorFailures.Enqueue($"node {node} {request.RequestUri}: {e.Message}");
                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The restarted victim first: it and the killed process share one folder, deleted once.
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        if (_connection is not null)
        {
            await ScaleOutStores.DropDatabaseAsync(_database);
        }
    }
}
