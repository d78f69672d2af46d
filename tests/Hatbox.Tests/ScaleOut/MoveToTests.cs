using System.Net;
using System.Text.Json;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

using static Hatbox.Tests.ScaleOut.KeyedRequests;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// <c>hatbox admin move-to</c>: an embedded installation, filled through a real <c>hatbox serve</c>,
/// moved into PostgreSQL and the S3 stand-in, then served by a scale-out node on those stores.
/// </summary>
public sealed class MoveToTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly string _database = "hb_move_" + Guid.NewGuid().ToString("N")[..12];
    string _data = null!;
    string _config = null!;
    Dictionary<string, string> _environment = null!;

    public async ValueTask InitializeAsync()
    {
        ScaleOutStores.RequirePostgres();
        ScaleOutStores.RequireS3();
        _data = Directory.CreateTempSubdirectory("hatbox-move-").FullName;
        var connection = await ScaleOutStores.CreateDatabaseAsync(_database);
        var settings = new Dictionary<string, string?>(ScaleOutStores.S3Settings(_database.Replace('_', '-')))
        {
            ["Platform:Provider"] = "postgres",
            ["Platform:ConnectionString"] = connection,
            ["Tenants:Provider"] = "postgres",
            ["Tenants:ConnectionString"] = connection,
        };
        _environment = settings.ToDictionary(s => "HATBOX__" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        // The file has the server's nested keys, as an operator writes one.
        var nested = settings.GroupBy(s => s.Key.Split(':')[0]).ToDictionary(g => g.Key, g => Nest(g.Select(s => (s.Key.Split(':')[1..], s.Value))));
        _config = Path.Combine(Path.GetTempPath(), $"hatbox-move-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_config, JsonSerializer.Serialize(nested), Ct);
    }

    static Dictionary<string, object?> Nest(IEnumerable<(string[] Path, string? Value)> entries) =>
        entries.GroupBy(e => e.Path[0]).ToDictionary(g => g.Key, g => g.First().Path.Length == 1
            ? (object?)g.First().Value
            : Nest(g.Select(e => (e.Path[1..], e.Value))));

    [Fact]
    public async Task AnEmbeddedInstallationMovesWithKeysRowsFilesAndSignedUrlsIntact()
    {
        var boot = await HatboxProcess.AdminAsync(_data, "admin", "bootstrap", "--email", "mover@example.test",
            "--password", "a long test password", "--org", "Movers", "--workspace", "movers");
        var key = boot.GetProperty("apiKey").GetString()!;
        var flowFile = Path.Combine(_data, "..", $"move-flow-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(flowFile, JsonSerializer.Serialize(new
        {
            name = "mark",
            steps = new object[] { new { id = "mark", uses = "db.insert", with = new { table = "things", data = new { name = "from a flow" } } } },
        }), Ct);
        var flowId = (await HatboxProcess.AdminAsync(_data, "admin", "flows", "create", "--workspace", "movers", "--file", flowFile))
            .GetProperty("flowId").GetString()!;
        File.Delete(flowFile);

        var big = Enumerable.Range(0, 3 * 1024 * 1024 + 12345).Select(i => (byte)(i * 31 + (i >> 11))).ToArray();
        var small = "plain text, ünïcødé ✓\n"u8.ToArray();
        JsonElement[] rowsBefore;
        string bigId, smallId;
        Uri signedBefore;
        await using (var embedded = await HatboxProcess.StartAsync(_data))
        {
            using var client = embedded.CreateClient();
            var db = new DbClient(client, key);
            await db.QueryOkAsync("""
                CREATE TABLE Things (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, score REAL, data BLOB,
                    note TEXT DEFAULT 'none', flag BOOLEAN, made DATETIME DEFAULT CURRENT_TIMESTAMP, count INTEGER)
                """);
            await db.QueryOkAsync("CREATE TABLE tags (thing_id INTEGER NOT NULL REFERENCES Things(id) ON DELETE CASCADE, tag TEXT NOT NULL, UNIQUE (thing_id, tag))");
            await db.QueryOkAsync("CREATE INDEX things_by_name ON Things (name DESC)");
            await db.QueryOkAsync("INSERT INTO Things (name, score, data, flag, count) VALUES ('plain', 3.141592653589793, X'00FF10', 1, 9007199254740993)");
            await db.QueryOkAsync("INSERT INTO Things (name, score, data, note, flag, made) VALUES ('ünïcødé ✓ 日本 \"quoted\"', -1e-300, NULL, NULL, 0, NULL)");
            await db.QueryOkAsync("INSERT INTO Things (name, score) VALUES ($1, $2)", DbClient.Positional("third", 0.1));
            await db.QueryOkAsync("DELETE FROM Things WHERE name = 'third'");
            await db.QueryOkAsync("INSERT INTO Things (name, score) VALUES ('fourth', 2.5)");
            await db.QueryOkAsync("INSERT INTO tags VALUES (1, 'a'), (1, 'b'), (2, 'a')");
            await db.QueryOkAsync("CREATE TABLE notes (body TEXT)", environment: "staging");
            await db.QueryOkAsync("INSERT INTO notes VALUES ('staging only')", environment: "staging");
            using (var trigger = await SendAsync(client, HttpMethod.Post, $"/flows/trigger/{flowId}", key, JsonContent.Create(new { })))
            {
                Assert.True(trigger.IsSuccessStatusCode, await trigger.Content.ReadAsStringAsync(Ct));
            }
            bigId = await UploadAsync(client, key, big, "big.bin");
            smallId = await UploadAsync(client, key, small, "small.txt");
            signedBefore = await SignedUrlAsync(client, key, bigId);

            // A server on the folder: refused, nothing touched.
            var (running, _, runningErrors) = await HatboxProcess.RunAdminAsync(_data, "admin", "move-to", "--config", _config);
            Assert.True(running == 2, runningErrors);
            Assert.Contains("error: source_unsupported:", runningErrors, StringComparison.Ordinal);
            await WaitForFlowRowAsync(db);
            rowsBefore = await ThingsAsync(db, "lower(hex(data))");
        }

        var (exit, output, errors) = await HatboxProcess.RunAdminAsync(_data, "admin", "move-to", "--config", _config);
        Assert.True(exit == 0, errors + output);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.True(report.GetProperty("verified").GetBoolean());
        Assert.True(report.GetProperty("platform").GetProperty("api_keys").GetProperty("rows").GetInt64() >= 1);
        Assert.True(report.GetProperty("platform").GetProperty("flow_runs").GetProperty("rows").GetInt64() >= 1);
        Assert.Equal(1, report.GetProperty("platform").GetProperty("shared_secrets").GetProperty("targetRows").GetInt64());
        var production = report.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("environment").GetString() == "production");
        Assert.Equal(rowsBefore.Length, production.GetProperty("tables").GetProperty("things").GetProperty("targetRows").GetInt64());
        Assert.Equal(3, production.GetProperty("tables").GetProperty("tags").GetProperty("targetRows").GetInt64());
        Assert.Equal(2, report.GetProperty("files").GetProperty("count").GetInt64());
        Assert.Equal(big.Length + small.Length, report.GetProperty("files").GetProperty("bytes").GetInt64());

        await using (var node = await ScaleOutNode.StartAsync(_environment))
        {
            using var client = node.CreateClient();
            using (var auth = await SendAsync(client, HttpMethod.Post, "/authentication", key))
            {
                Assert.Equal(HttpStatusCode.OK, auth.StatusCode);
            }
            var db = new DbClient(client, key);
            var rowsAfter = await ThingsAsync(db, "encode(data, 'hex')");
            Assert.Equal(rowsBefore.Select(r => r.ToString()), rowsAfter.Select(r => r.ToString()));
            Assert.Equal("staging only", (await db.RowsAsync("SELECT body FROM notes", environment: "staging")).Single().GetProperty("body").GetString());
            // The identity continues after the largest id SQLite handed out, deleted rows included.
            var inserted = await db.RowsAsync("INSERT INTO things (name) VALUES ('after the move') RETURNING id");
            Assert.Equal(rowsBefore.Max(r => r.GetProperty("id").GetInt64()) + 1, inserted.Single().GetProperty("id").GetInt64());
            // The foreign key came along: a tag of no thing is refused.
            using (var orphan = await db.QueryAsync("INSERT INTO tags VALUES (999, 'x')"))
            {
                Assert.False(orphan.IsSuccessStatusCode);
            }

            Assert.Equal(big, await DownloadAsync(client, await SignedUrlAsync(client, key, bigId)));
            Assert.Equal(small, await DownloadAsync(client, await SignedUrlAsync(client, key, smallId)));
            // Signed before the move by the embedded server, downloaded after it from the node.
            Assert.Equal(big, await DownloadAsync(client, signedBefore));
        }

        var (again, _, againErrors) = await HatboxProcess.RunAdminAsync(_data, "admin", "move-to", "--config", _config);
        Assert.True(again == 3, againErrors);
        Assert.Contains("error: target_not_empty:", againErrors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASearchIndexMovesWithItsTableSoSearchAnswersAtOnceWithoutEmbeddingAgain()
    {
        string[] items =
        [
            "Wireless headphones with noise cancelling", "Cast iron skillet for searing", "Garden hose with spray nozzle",
            "Trail running shoes", "Acoustic guitar with steel strings", "Ceramic chef knife HB-77431",
        ];
        var key = (await HatboxProcess.AdminAsync(_data, "admin", "bootstrap", "--email", "search@example.test",
            "--password", "a long test password", "--org", "Searchers", "--workspace", "searchers")).GetProperty("apiKey").GetString()!;
        await using (var embedded = await HatboxProcess.StartAsync(_data))
        {
            using var client = embedded.CreateClient();
            var db = new DbClient(client, key);
            await db.QueryOkAsync("CREATE TABLE Products (id INTEGER PRIMARY KEY, Name TEXT NOT NULL)");
            foreach (var item in items)
                await db.QueryOkAsync("INSERT INTO Products (Name) VALUES ($1)", DbClient.Positional(item));
            var ready = await SearchAsync(db, "Products", "string instrument for music");
            for (var attempt = 0; ready.GetProperty("_meta").GetProperty("index_status").GetProperty("state").GetString() != "ready"; attempt++)
            {
                Assert.True(attempt < 300, "the embedded server never finished indexing");
                await Task.Delay(100, Ct);
                ready = await SearchAsync(db, "Products", "string instrument for music");
            }
        }

        var (exit, output, errors) = await HatboxProcess.RunAdminAsync(_data, "admin", "move-to", "--config", _config);
        Assert.True(exit == 0, errors + output);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.True(report.GetProperty("verified").GetBoolean());
        var index = report.GetProperty("indexes").EnumerateArray().Single();
        var vectors = index.GetProperty("tables").GetProperty("products");
        Assert.Equal(items.Length, vectors.GetProperty("targetRows").GetInt64());
        Assert.True(vectors.GetProperty("matches").GetBoolean());
        Assert.DoesNotContain(report.GetProperty("notMoved").EnumerateArray(), n => n.GetString()!.Contains(".ai-index", StringComparison.Ordinal));
        // The month's embedded rows came along with the vectors.
        var schema = index.GetProperty("schema").GetString()!;
        Assert.Equal(items.Length, await EmbeddedRowsAsync(schema));

        await using (var node = await ScaleOutNode.StartAsync(_environment))
        {
            using var client = node.CreateClient();
            var db = new DbClient(client, key);
            // The first search through the node already answers from the moved vectors: nothing to wait for.
            var first = await SearchAsync(db, "products", "string instrument for music");
            Assert.Equal(items[4], first.GetProperty("results")[0].GetProperty("record").GetProperty("name").GetString());
            var hybrid = await db.OkAsync(HttpMethod.Post, "/db/hybrid-search",
                new { table = "products", query = "HB-77431", limit = 3, keyword_weight = 0.5, semantic_weight = 0.5 });
            Assert.Equal(items[5], hybrid.GetProperty("results")[0].GetProperty("record").GetProperty("name").GetString());
            // The node's pass over the table finds every row's hash stored: it embeds none of them again.
            for (var attempt = 0; first.GetProperty("_meta").GetProperty("index_status").GetProperty("state").GetString() != "ready"; attempt++)
            {
                Assert.True(attempt < 300, "the node never finished its pass");
                await Task.Delay(100, Ct);
                first = await SearchAsync(db, "products", "string instrument for music");
            }
            Assert.Equal(items.Length, first.GetProperty("_meta").GetProperty("index_status").GetProperty("indexed").GetInt64());
            Assert.Equal(items.Length, await EmbeddedRowsAsync(schema));
        }
    }

    static Task<JsonElement> SearchAsync(DbClient db, string table, string query) =>
        db.OkAsync(HttpMethod.Post, "/db/semantic-search", new { table, query, limit = 3 });

    async Task<long> EmbeddedRowsAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(await ScaleOutStores.CreateDatabaseAsync(_database));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT coalesce(sum(rows), 0)::int8 FROM \"{schema}\".embedded_rows", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task ASourceWithAViewATriggerOrAnUnreadableDatabaseIsRefusedBeforeAnythingIsWritten()
    {
        await HatboxProcess.AdminAsync(_data, "admin", "bootstrap", "--email", "refused@example.test",
            "--password", "a long test password", "--org", "Refused", "--workspace", "refused");
        var tenant = Path.Combine(_data, "tenants", "ws_madeup");
        Directory.CreateDirectory(tenant);
        await using (var sqlite = new SqliteConnection($"Data Source={Path.Combine(tenant, "production.db")};Pooling=False"))
        {
            await sqlite.OpenAsync(Ct);
            await using var command = new SqliteCommand("""
                CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, mixed);
                INSERT INTO t VALUES (1, 2, 'text'), (2, 3, 4);
                CREATE VIEW v AS SELECT n FROM t;
                CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;
                """, sqlite);
            await command.ExecuteNonQueryAsync(Ct);
        }
        await File.WriteAllBytesAsync(Path.Combine(tenant, "staging.db"), [.. "this is not a database, only bytes pretending"u8, .. new byte[4096]], Ct);

        var (exit, _, errors) = await HatboxProcess.RunAdminAsync(_data, "admin", "move-to", "--config", _config);
        Assert.True(exit == 2, errors);
        Assert.Contains("error: source_unsupported:", errors, StringComparison.Ordinal);
        foreach (var named in new[] { "view v", "trigger tr", "column mixed", "ws_madeup/staging" })
        {
            Assert.Contains(named, errors, StringComparison.Ordinal);
        }

        // Refused before the target was touched: not even the platform's tables were made.
        await using var target = new NpgsqlConnection(await ScaleOutStores.CreateDatabaseAsync(_database));
        await target.OpenAsync(Ct);
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", target);
        Assert.Equal(0L, (long)(await tables.ExecuteScalarAsync(Ct))!);

        var (missing, _, missingErrors) = await HatboxProcess.RunAdminAsync(_data, "admin", "move-to", "--config", _config + ".absent");
        Assert.Equal(1, missing);
        Assert.Contains("error: invalid_configuration:", missingErrors, StringComparison.Ordinal);
    }

    /// <summary>Every row, the blob as hex (each dialect has its own function for that; SQLite's hex(NULL) is '').</summary>
    static async Task<JsonElement[]> ThingsAsync(DbClient db, string hex) =>
        [.. (await db.RowsAsync($"SELECT id, name, score, CASE WHEN data IS NULL THEN NULL ELSE {hex} END AS data, note, flag, made, count FROM things ORDER BY id"))
            .Select(r => r.Clone())];

    static async Task WaitForFlowRowAsync(DbClient db)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await db.RowsAsync("SELECT count(*) AS n FROM things WHERE name = 'from a flow'")).Single().GetProperty("n").GetInt64() == 1)
            {
                return;
            }
            await Task.Delay(100, Ct);
        }
        Assert.Fail("The flow's run never inserted its row.");
    }

    static async Task<string> UploadAsync(HttpClient client, string key, byte[] bytes, string name)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        using var response = await SendAsync(client, HttpMethod.Post, "/storage/upload", key, form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("file").GetProperty("id").GetString()!;
    }

    static async Task<Uri> SignedUrlAsync(HttpClient client, string key, string fileId)
    {
        using var response = await SendAsync(client, HttpMethod.Get, $"/storage/fetch/{fileId}", key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Uri((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("file").GetProperty("url").GetString()!);
    }

    static async Task<byte[]> DownloadAsync(HttpClient client, Uri signed)
    {
        using var response = await client.GetAsync(signed.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_data is null)
        {
            return;
        }
        await ScaleOutStores.DropDatabaseAsync(_database);
        File.Delete(_config);
        Directory.Delete(_data, recursive: true);
    }
}
