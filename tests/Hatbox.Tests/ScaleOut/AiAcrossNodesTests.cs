using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Npgsql;

using static Hatbox.Tests.ScaleOut.KeyedRequests;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// The search index on PostgreSQL with two <c>hatbox serve</c> nodes sharing platform and tenant
/// data: rows written through one are found through the other within the 2 s freshness bound, a
/// table is embedded once between them, a restart of both re-embeds nothing, and no tenant can
/// reach the vectors (another workspace's, or its own) through <c>/db</c>.
/// </summary>
public sealed class AiAcrossNodesTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] Items =
    [
        "Wireless headphones with noise cancelling", "Cast iron skillet for searing", "Garden hose with spray nozzle",
        "Trail running shoes", "Espresso machine with milk frother", "Bluetooth speaker for the beach",
        "Acoustic guitar with steel strings", "Ceramic chef knife HB-77431",
    ];

    readonly string _database = "hb_ainodes_" + Guid.NewGuid().ToString("N")[..12];
    readonly List<ScaleOutNode> _nodes = [];
    Dictionary<string, string> _environment = null!;
    string _connection = null!;

    public async ValueTask InitializeAsync()
    {
        ScaleOutStores.RequirePostgres();
        _connection = await ScaleOutStores.CreateDatabaseAsync(_database);
        _environment = ScaleOutStores.NodeEnvironment(_connection);
        // Tombstones pruned a second after the delete, by a round every second: a copy that was not
        // searched meanwhile is older than the pruned deletions (the default keeps them ten minutes).
        _environment["HATBOX__Ai__Tombstones__RetentionSeconds"] = "1";
        _environment["HATBOX__Ai__Tombstones__PruneIntervalSeconds"] = "1";
        await StartNodesAsync();
    }

    async Task StartNodesAsync() =>
        _nodes.AddRange(await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => ScaleOutNode.StartAsync(_environment))));

    async Task StopNodesAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        _nodes.Clear();
    }

    [Fact]
    public async Task RowsWrittenThroughOneNodeAreFoundThroughTheOtherEmbeddedOnceAndKeptAcrossRestarts()
    {
        var key = await BootstrapAsync("a");
        using var a = _nodes[0].CreateClient();
        using var b = _nodes[1].CreateClient();
        await OkAsync(a, "/db/query", key, new { query = "CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL)" });
        foreach (var item in Items.Take(6))
            await OkAsync(a, "/db/insert", key, new { table = "items", data = new { name = item } });

        // Both nodes search at once: each opens the table, one of them embeds it, the other waits its turn and finds it done.
        await Task.WhenAll(SearchUntilReadyAsync(a, key, "music"), SearchUntilReadyAsync(b, key, "music"));
        Assert.Equal(6, await EmbeddedRowsAsync());

        // A row inserted through A is found through B within the freshness bound.
        await OkAsync(a, "/db/insert", key, new { table = "items", data = new { name = Items[6] } });
        await FoundWithinAsync(b, key, "string instrument for music", Items[6]);
        // An update through B reaches A: the SKU only the updated row holds wins hybrid search there within the bound.
        // (Records are read from the table, so a semantic hit on the old text would name the new one: poll on the keyword score.)
        await OkAsync(b, "/db/query", key, new { query = "UPDATE items SET name = $1 WHERE id = 2", @params = new[] { Items[7] } });
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var hybrid = await OkAsync(a, "/db/hybrid-search", key, new { table = "items", query = "HB-77431", limit = 3, keyword_weight = 0.5, semantic_weight = 0.5 });
            var best = hybrid.GetProperty("results")[0];
            if (best.GetProperty("keyword_score").GetDouble() == 1)
            {
                Assert.Equal(Items[7], best.GetProperty("record").GetProperty("name").GetString());
                break;
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the update through B did not reach A's keyword scores after {watch.Elapsed}: {hybrid}");
            await Task.Delay(50, Ct);
        }
        await FoundWithinAsync(a, key, "kitchen blade", Items[7]);
        // A delete through A leaves B's answers.
        await OkAsync(a, "/db/query", key, new { query = "DELETE FROM items WHERE id = 1" });
        await GoneWithinAsync(b, key, "noise cancelling headphones", Items[0]);
        Assert.Equal(8, await EmbeddedRowsAsync());

        // Every node restarts: the index is in PostgreSQL, nothing is embedded again.
        await StopNodesAsync();
        await StartNodesAsync();
        using var a2 = _nodes[0].CreateClient();
        using var b2 = _nodes[1].CreateClient();
        var again = await SearchUntilReadyAsync(b2, key, "string instrument for music");
        Assert.Equal(Items[6], again.GetProperty("results")[0].GetProperty("record").GetProperty("name").GetString());
        await SearchUntilReadyAsync(a2, key, "music");
        await Task.Delay(1_000, Ct);
        Assert.Equal(8, await EmbeddedRowsAsync());

        using var health = await b2.GetAsync("/health", Ct);
        var vectors = (await health.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("services").GetProperty("vectors").GetString();
        Assert.Equal(await HasPgvectorAsync() ? "pgvector" : "in-process", vectors);
    }

    [Fact]
    public async Task ACopyOlderThanThePrunedTombstonesIsLoadedAgainInFull()
    {
        var key = await BootstrapAsync("prune");
        using var a = _nodes[0].CreateClient();
        using var b = _nodes[1].CreateClient();
        await OkAsync(a, "/db/query", key, new { query = "CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL)" });
        foreach (var item in Items.Take(6))
            await OkAsync(a, "/db/insert", key, new { table = "items", data = new { name = item } });
        await Task.WhenAll(SearchUntilReadyAsync(a, key, "music"), SearchUntilReadyAsync(b, key, "music"));
        Assert.Equal(6, Indexed(await SearchUntilReadyAsync(b, key, "music")));

        // Two deletes through A; B is not searched meanwhile, so its copy stays at the version before them.
        await OkAsync(a, "/db/query", key, new { query = "DELETE FROM items WHERE id IN (1, 4)" });
        await GoneWithinAsync(a, key, "noise cancelling headphones", Items[0]);
        var schema = await ScalarTextAsync("SELECT schema_name FROM hatbox_ai.stores");
        var watch = Stopwatch.StartNew();
        while (await ScalarLongAsync($"SELECT count(*) FROM \"{schema}\".vectors WHERE deleted") > 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "the tombstones were not pruned");
            await Task.Delay(200, Ct);
        }
        Assert.True(await ScalarLongAsync($"SELECT coalesce(max(through), 0) FROM \"{schema}\".pruned") > 0);

        // B's copy is older than the pruned deletions: loading the rows since its version would miss
        // them, so it loads every live row again at once and forgets the two.
        var body = await OkAsync(b, "/db/semantic-search", key, new { table = "items", query = "noise cancelling headphones", limit = 10 });
        Assert.Equal(4, Indexed(body));
        Assert.DoesNotContain(body.GetProperty("results").EnumerateArray(), r => r.GetProperty("record").GetProperty("name").GetString() == Items[0]);
        Assert.Equal(6, await EmbeddedRowsAsync());
    }

    static long Indexed(JsonElement search) => search.GetProperty("_meta").GetProperty("index_status").GetProperty("indexed").GetInt64();

    [Fact]
    public async Task AnotherWorkspaceSeesNoneOfTheVectorsAndNoTenantRoleCanReadThem()
    {
        var owner = await BootstrapAsync("owner");
        var other = await BootstrapAsync("other");
        using var a = _nodes[0].CreateClient();
        using var b = _nodes[1].CreateClient();
        await OkAsync(a, "/db/query", owner, new { query = "CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL)" });
        foreach (var item in Items.Take(3))
            await OkAsync(a, "/db/insert", owner, new { table = "items", data = new { name = item } });
        await SearchUntilReadyAsync(a, owner, "music");

        // The other workspace has no such table, on either node.
        using (var search = await SendAsync(b, "/db/semantic-search", other, new { table = "items", query = "music" }))
            await ErrorAssert.IsErrorAsync(search, HttpStatusCode.NotFound, ErrorCodes.TableNotFound);

        // The vectors live in a schema no tenant role has any grant on: not the other's, not the owner's.
        var schema = await ScalarTextAsync("SELECT schema_name FROM hatbox_ai.stores");
        foreach (var key in new[] { other, owner })
        {
            foreach (var table in new[] { "vectors", "keywords", "indexed_tables", "embedded_rows" })
            {
                using var read = await SendAsync(b, "/db/query", key, new { query = $"SELECT * FROM \"{schema}\".{table}" });
                await ErrorAssert.IsErrorAsync(read, HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
            }
        }
        // Nor does the owner's table list show them.
        var tables = await OkAsync(a, "/db/tables", owner, null);
        Assert.Equal(["items"], tables.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToArray());
    }

    async Task<string> BootstrapAsync(string name)
    {
        var boot = await ScaleOutNode.AdminAsync(_environment, "admin", "bootstrap", "--email", $"{name}@example.test",
            "--password", "a long test password", "--org", "Org " + name, "--workspace", "ws-" + name);
        return boot.GetProperty("apiKey").GetString()!;
    }

    static async Task<JsonElement> SearchUntilReadyAsync(HttpClient client, string key, string query)
    {
        for (var attempt = 0; ; attempt++)
        {
            var body = await OkAsync(client, "/db/semantic-search", key, new { table = "items", query, limit = 3 });
            if (body.GetProperty("_meta").GetProperty("index_status").GetProperty("state").GetString() == "ready" || attempt > 200)
                return body;
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>Polls until <paramref name="name"/> is the best answer; fails if that takes more than the 2 s bound.</summary>
    static async Task FoundWithinAsync(HttpClient client, string key, string query, string name)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var body = await OkAsync(client, "/db/semantic-search", key, new { table = "items", query, limit = 3 });
            var results = body.GetProperty("results");
            if (results.GetArrayLength() > 0 && results[0].GetProperty("record").GetProperty("name").GetString() == name)
                return;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"'{name}' not found through the other node after {watch.Elapsed}: {body}");
            await Task.Delay(50, Ct);
        }
    }

    static async Task GoneWithinAsync(HttpClient client, string key, string query, string name)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var body = await OkAsync(client, "/db/semantic-search", key, new { table = "items", query, limit = 10 });
            if (body.GetProperty("results").EnumerateArray().All(r => r.GetProperty("record").GetProperty("name").GetString() != name))
                return;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"'{name}' still found through the other node after {watch.Elapsed}");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Rows embedded this month as the usage metric counts them: in the index store, whichever node embedded them.</summary>
    async Task<long> EmbeddedRowsAsync()
    {
        var schema = await ScalarTextAsync("SELECT schema_name FROM hatbox_ai.stores");
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT coalesce(sum(rows), 0)::int8 FROM \"{schema}\".embedded_rows", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    async Task<bool> HasPgvectorAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_extension WHERE extname = 'vector'", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))! > 0;
    }

    async Task<long> ScalarLongAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    async Task<string> ScalarTextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopNodesAsync();
        await ScaleOutStores.DropDatabaseAsync(_database);
    }
}
