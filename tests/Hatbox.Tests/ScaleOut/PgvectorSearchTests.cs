using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Features.Ai.Index.Postgres;
using Hatbox.Tests.Infrastructure;
using Npgsql;

using static Hatbox.Tests.ScaleOut.KeyedRequests;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// The search index on PostgreSQL with pgvector: a real <c>hatbox serve</c> with platform and
/// tenants on PostgreSQL 15 and the index (<c>Tenants:IndexConnectionString</c>) on PGlite with
/// pgvector (<c>HATBOX_TEST_PGVECTOR</c>, from <c>scripts/services.sh start</c>), the real embedding
/// model. Search runs in PostgreSQL: answers are the sensible ones, filters, deletions and other
/// workspaces behave as on SQLite, the node keeps no vectors, and the plan is the HNSW index's.
/// </summary>
public sealed class PgvectorSearchTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly (string Name, string Category)[] Products =
    [
        ("Lightweight laptop with a 14 inch screen for programming", "computers"),
        ("Mechanical keyboard with brown switches", "computers"),
        ("Cast iron skillet for searing steaks", "kitchen"),
        ("Espresso machine with milk frother", "kitchen"),
        ("Chef knife of ceramic, sharp blade HB-77431", "kitchen"),
        ("Trail running shoes with grippy soles", "sports"),
        ("Yoga mat, non slip", "sports"),
        ("Acoustic guitar with steel strings", "music"),
        ("Garden hose with spray nozzle", "garden"),
        ("Tablet computer with a stylus for drawing", "computers"),
    ];

    static readonly int[] TabletId = [10];

    readonly string _database = "hb_pgvector_" + Guid.NewGuid().ToString("N")[..12];
    ScaleOutNode _node = null!;
    Dictionary<string, string> _environment = null!;
    string _vectors = null!;
    readonly Dictionary<string, string> _workspaces = [];

    public async ValueTask InitializeAsync()
    {
        ScaleOutStores.RequirePostgres();
        _vectors = Environment.GetEnvironmentVariable("HATBOX_TEST_PGVECTOR") is { Length: > 0 } pgvector ? pgvector
            : SkipWith("HATBOX_TEST_PGVECTOR is not set: run scripts/services.sh start (scripts/test.sh does) to test pgvector search.");
        await ForgetEarlierIndexesAsync();
        var connection = await ScaleOutStores.CreateDatabaseAsync(_database);
        _environment = ScaleOutStores.NodeEnvironment(connection);
        _environment["HATBOX__Tenants__IndexConnectionString"] = _vectors;
        _node = await ScaleOutNode.StartAsync(_environment);
    }

    [Fact]
    public async Task SearchRunsInPostgresOverTheHnswIndexWithTheSameAnswersFiltersDeletionsAndWorkspaces()
    {
        var owner = await BootstrapAsync("owner");
        var other = await BootstrapAsync("other");
        using var client = _node.CreateClient();
        await OkAsync(client, "/db/query", owner, new { query = "CREATE TABLE products (id bigserial PRIMARY KEY, name text NOT NULL, category text NOT NULL)" });
        foreach (var (name, category) in Products)
            await OkAsync(client, "/db/insert", owner, new { table = "products", data = new { name, category } });

        var laptop = await SearchUntilReadyAsync(client, owner, "notebook computer for writing code");
        Assert.Equal(Products[0].Name, NameAt(laptop, 0));
        using (var health = await client.GetAsync("/health", Ct))
            Assert.Equal("pgvector", (await health.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("services").GetProperty("vectors").GetString());

        // Filters: only kitchen rows, the blade first.
        var kitchen = await OkAsync(client, "/db/semantic-search", owner,
            new { table = "products", query = "something sharp for cutting vegetables", limit = 5, filters = new { category = "kitchen" } });
        Assert.Equal(Products[4].Name, NameAt(kitchen, 0));
        Assert.All(kitchen.GetProperty("results").EnumerateArray(), r => Assert.Equal("kitchen", r.GetProperty("record").GetProperty("category").GetString()));
        Assert.Equal(3, kitchen.GetProperty("results").GetArrayLength());
        var none = await OkAsync(client, "/db/semantic-search", owner, new { table = "products", query = "laptop", filters = new { category = "boats" } });
        Assert.Equal(0, none.GetProperty("results").GetArrayLength());
        using (var badFilter = await SendAsync(client, "/db/semantic-search", owner, new { table = "products", query = "laptop", filters = new { colour = "red" } }))
            await ErrorAssert.IsErrorAsync(badFilter, HttpStatusCode.BadRequest, ErrorCodes.ColumnNotFound);

        // Similar records: the tablet is the laptop's nearest, never the laptop itself.
        var similar = await OkAsync(client, "/db/find-similar", owner, new { table = "products", record_id = 1, limit = 3 });
        var similarNames = similar.GetProperty("similar_records").EnumerateArray().Select(r => r.GetProperty("record").GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain(Products[0].Name, similarNames);
        Assert.Contains(Products[9].Name, similarNames.Take(2));
        using (var missing = await SendAsync(client, "/db/find-similar", owner, new { table = "products", record_id = 999_999 }))
            await ErrorAssert.IsErrorAsync(missing, HttpStatusCode.NotFound, ErrorCodes.RecordNotFound);

        // Recommendations leave out the sources and the excluded ids.
        var recommended = await OkAsync(client, "/db/recommend", owner, new { table = "products", record_id = 1, exclude_ids = TabletId, limit = 4 });
        var recommendedNames = recommended.GetProperty("recommendations").EnumerateArray().Select(r => r.GetProperty("record").GetProperty("name").GetString()).ToList();
        Assert.Equal(4, recommendedNames.Count);
        Assert.DoesNotContain(Products[0].Name, recommendedNames);
        Assert.DoesNotContain(Products[9].Name, recommendedNames);
        Assert.Equal(Products[1].Name, recommendedNames[0]);
        var popular = await OkAsync(client, "/db/recommend", owner, new { table = "products", strategy = "popular", limit = 3 });
        Assert.Equal(3, popular.GetProperty("recommendations").GetArrayLength());

        // Hybrid search: the SKU only the blade holds wins on keywords, its vector part from PostgreSQL.
        var hybrid = await OkAsync(client, "/db/hybrid-search", owner, new { table = "products", query = "HB-77431", limit = 3, keyword_weight = 0.5, semantic_weight = 0.5 });
        Assert.Equal(Products[4].Name, NameAt(hybrid, 0));
        Assert.Equal(1, hybrid.GetProperty("results")[0].GetProperty("keyword_score").GetDouble());

        // Another workspace: no such table, and its own table's answers are its own rows only.
        using (var foreign = await SendAsync(client, "/db/semantic-search", other, new { table = "products", query = "laptop" }))
            await ErrorAssert.IsErrorAsync(foreign, HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await OkAsync(client, "/db/query", other, new { query = "CREATE TABLE products (id bigserial PRIMARY KEY, name text NOT NULL, category text NOT NULL)" });
        await OkAsync(client, "/db/insert", other, new { table = "products", data = new { name = "Rowing boat with two oars", category = "boats" } });
        var theirs = await SearchUntilReadyAsync(client, other, "a small boat for the lake");
        Assert.Equal(["Rowing boat with two oars"], theirs.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("record").GetProperty("name").GetString()).ToArray());
        using (var foreignRecord = await SendAsync(client, "/db/find-similar", other, new { table = "products", record_id = 5 }))
            await ErrorAssert.IsErrorAsync(foreignRecord, HttpStatusCode.NotFound, ErrorCodes.RecordNotFound);

        // A deleted row is not found once the indexer has seen the delete.
        var before = (await OkAsync(client, "/db/semantic-search", owner, new { table = "products", query = "notebook computer for writing code", limit = 10 }))
            .GetProperty("results").GetArrayLength();
        await OkAsync(client, "/db/query", owner, new { query = "DELETE FROM products WHERE id = 1" });
        for (var attempt = 0; ; attempt++)
        {
            var after = await OkAsync(client, "/db/semantic-search", owner, new { table = "products", query = "notebook computer for writing code", limit = 10 });
            if (after.GetProperty("results").EnumerateArray().All(r => r.GetProperty("record").GetProperty("name").GetString() != Products[0].Name)
                && after.GetProperty("_meta").GetProperty("index_status").GetProperty("state").GetString() == "ready")
            {
                Assert.Equal(before - 1, after.GetProperty("results").GetArrayLength());
                break;
            }
            Assert.True(attempt < 100, $"the deleted row is still found: {after}");
            await Task.Delay(100, Ct);
        }
        var schema = SchemaOf(owner);
        Assert.True((bool)(await ScalarAsync($"SELECT deleted AND vector IS NULL FROM \"{schema}\".vectors WHERE tbl = 'products' AND key = '1'"))!);

        // The HNSW index serves the node's query: its plan names the index, and it finds a row from its own vector
        // among random unit vectors under (integer) keys no tenant row has (FetchAsync drops them, so answers stay the same).
        await AddNoiseRowsAsync(schema, 300);
        var (plan, nearestToEspresso) = await ApproximateAsync(schema, "4");
        Assert.Contains("Index Scan using vectors_hnsw_", plan);
        Assert.Equal("4", nearestToEspresso);
        var again = await OkAsync(client, "/db/semantic-search", owner, new { table = "products", query = "espresso coffee maker", limit = 3 });
        Assert.Equal(Products[3].Name, NameAt(again, 0));

        // Search reads PostgreSQL when it answers, not a copy: give the guitar the tablet's vector
        // behind the node's back (same version, so no node would reload it) and the guitar ranks with the tablet.
        await ScalarAsync($"UPDATE \"{schema}\".vectors SET vector = (SELECT vector FROM \"{schema}\".vectors WHERE tbl = 'products' AND key = '10') WHERE tbl = 'products' AND key = '8'");
        var swapped = await OkAsync(client, "/db/semantic-search", owner, new { table = "products", query = "tablet computer with a stylus for drawing", limit = 2 });
        Assert.Contains(Products[7].Name, swapped.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("record").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task NoTenantSqlReachesTheCompanionSchema()
    {
        var owner = await BootstrapAsync("hostile");
        using var client = _node.CreateClient();
        await OkAsync(client, "/db/query", owner, new { query = "CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL)" });
        await OkAsync(client, "/db/insert", owner, new { table = "notes", data = new { body = "a note about gardening" } });
        await SearchUntilReadyAsync(client, owner, "plants", "notes");
        var schema = SchemaOf(owner);
        foreach (var sql in new[] { $"SELECT * FROM \"{schema}\".vectors", "SELECT * FROM hatbox_ai.stores", $"DROP SCHEMA \"{schema}\" CASCADE" })
        {
            using var read = await SendAsync(client, "/db/query", owner, new { query = sql });
            Assert.False(read.IsSuccessStatusCode, sql);
        }
        var still = await OkAsync(client, "/db/semantic-search", owner, new { table = "notes", query = "plants" });
        Assert.Equal(1, still.GetProperty("results").GetArrayLength());

        // A table name that is hostile as SQL text names its HNSW index's predicate as a quoted literal, and is searched like any other.
        const string hostile = "x'); DROP SCHEMA hatbox_ai CASCADE; --";
        await OkAsync(client, "/db/query", owner, new { query = $"CREATE TABLE \"{hostile}\" (id bigserial PRIMARY KEY, body text NOT NULL)" });
        await OkAsync(client, "/db/insert", owner, new { table = hostile, data = new { body = "tomatoes and basil in the greenhouse" } });
        var found = await SearchUntilReadyAsync(client, owner, "plants", hostile);
        Assert.Equal(1, found.GetProperty("results").GetArrayLength());
        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname LIKE 'vectors_hnsw_%'"));
    }

    /// <summary>Only this class uses the stand-in; its one database keeps earlier runs' registries, which no platform here knows.</summary>
    async Task ForgetEarlierIndexesAsync()
    {
        await using var connection = new NpgsqlConnection(_vectors);
        await connection.OpenAsync(Ct);
        var schemas = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT nspname FROM pg_namespace WHERE nspname = 'hatbox_ai' OR nspname LIKE 't\\_%\\_ai'", connection))
        await using (var reader = await list.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
                schemas.Add(reader.GetString(0));
        }
        foreach (var schema in schemas)
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync(Ct);
        }
    }

    async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_vectors);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    /// <summary>The companion schema of the workspace whose key this is (production).</summary>
    string SchemaOf(string key) => PostgresIndexStores.SchemaOf(_workspaces[key], Hatbox.Features.Db.DbEnvironment.Production);

    async Task AddNoiseRowsAsync(string schema, int rows)
    {
        await using var connection = new NpgsqlConnection(_vectors);
        await connection.OpenAsync(Ct);
        // One random unit vector a row (the inner query refers to i, so it runs again for each).
        await using (var command = new NpgsqlCommand($"""
            INSERT INTO "{schema}".vectors (tbl, key, hash, model, vector, deleted, version)
            SELECT 'products', (1000000 + i)::text, '\x00'::bytea, (SELECT model FROM "{schema}".vectors WHERE tbl = 'products' AND key = '2'),
                l2_normalize(array(SELECT random() - 0.5 FROM generate_series(1, 384) WHERE i > 0)::vector), false, 0
            FROM generate_series(1, $1) i
            """, connection) { CommandTimeout = 120 })
        {
            command.Parameters.Add(new() { Value = rows });
            await command.ExecuteNonQueryAsync(Ct);
        }
        await using var analyze = new NpgsqlCommand($"ANALYZE \"{schema}\".vectors", connection);
        await analyze.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>
    /// The node's approximate query, with the values it binds and scans plus sorts off: at a few
    /// hundred rows PostgreSQL rightly prices a full scan and sort below the graph's start-up cost
    /// (318 against 85 for 310 rows here), which only a far larger table outgrows. What this shows
    /// is that the index matches the query (expression, partial predicate, bound values): its plan,
    /// and its nearest key to row <paramref name="key"/>'s own vector.
    /// </summary>
    async Task<(string Plan, string Nearest)> ApproximateAsync(string schema, string key)
    {
        await using var connection = new NpgsqlConnection(_vectors);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        string model;
        float[] query;
        await using (var first = new NpgsqlCommand($"SELECT model, vector::real[] FROM \"{schema}\".vectors WHERE tbl = 'products' AND key = $1", connection, transaction))
        {
            first.Parameters.Add(new() { Value = key });
            await using var reader = await first.ExecuteReaderAsync(Ct);
            await reader.ReadAsync(Ct);
            (model, query) = (reader.GetString(0), reader.GetFieldValue<float[]>(1));
        }
        await using (var off = new NpgsqlCommand("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off", connection, transaction))
            await off.ExecuteNonQueryAsync(Ct);
        var sql = PgvectorSearch.ApproximateSql($"\"{schema}\"", 384);
        var lines = new List<string>();
        await using (var explain = new NpgsqlCommand("EXPLAIN " + sql, connection, transaction))
        {
            Bind(explain, model, query);
            await using var reader = await explain.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
                lines.Add(reader.GetString(0));
        }
        await using var nearest = new NpgsqlCommand(sql, connection, transaction);
        Bind(nearest, model, query);
        var found = (string)(await nearest.ExecuteScalarAsync(Ct))!;
        return (string.Join('\n', lines), found);
    }

    static void Bind(NpgsqlCommand command, string model, float[] query)
    {
        command.Parameters.Add(new() { Value = "products" });
        command.Parameters.Add(new() { Value = model });
        command.Parameters.Add(new() { Value = query });
        command.Parameters.Add(new() { Value = 5 });
    }

    async Task<string> BootstrapAsync(string name)
    {
        var boot = await ScaleOutNode.AdminAsync(_environment, "admin", "bootstrap", "--email", $"{name}@example.test",
            "--password", "a long test password", "--org", "Org " + name, "--workspace", "ws-" + name);
        var key = boot.GetProperty("apiKey").GetString()!;
        _workspaces[key] = boot.GetProperty("workspaceId").GetString()!;
        return key;
    }

    static string? NameAt(JsonElement body, int at) => body.GetProperty("results")[at].GetProperty("record").GetProperty("name").GetString();

    static async Task<JsonElement> SearchUntilReadyAsync(HttpClient client, string key, string query, string table = "products")
    {
        for (var attempt = 0; ; attempt++)
        {
            var body = await OkAsync(client, "/db/semantic-search", key, new { table, query, limit = 3 });
            if (body.GetProperty("_meta").GetProperty("index_status").GetProperty("state").GetString() == "ready")
                return body;
            Assert.True(attempt < 300, $"the index is not ready: {body}");
            await Task.Delay(100, Ct);
        }
    }

    static string SkipWith(string reason)
    {
        Assert.Skip(reason);
        return "";
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
        await ScaleOutStores.DropDatabaseAsync(_database);
    }
}
