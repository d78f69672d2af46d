using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

using static Hatbox.Tests.ScaleOut.KeyedRequests;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// Nodes that start while their stores are down (a cluster restarted while its database fails over):
/// they listen at once, <c>/health</c> names what is down, every call that needs it answers
/// <c>503 service_unavailable</c> naming the store with <c>Retry-After</c>, and each node becomes ready
/// by itself once the store is back, migrating once however many nodes start together.
/// </summary>
public sealed class StoreDownAtStartTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    PrivateStores _stores = null!;
    RedisServer _redis = null!;
    readonly List<ScaleOutNode> _nodes = [];

    public async ValueTask InitializeAsync()
    {
        ScaleOutStores.RequirePostgres();
        ScaleOutStores.RequireS3();
        _stores = await PrivateStores.StartAsync();
        _redis = await RedisServer.StartAsync();
    }

    [Fact]
    public async Task ANodeStartedWithEveryStoreDownAnswers503NamingEachAndServesAsEachComesBack()
    {
        var connection = new NpgsqlConnectionStringBuilder(_stores.Postgres) { Database = "postgres" }.ToString();
        var environment = new Dictionary<string, string>(ScaleOutStores.NodeEnvironment(connection, _redis.Configuration))
        {
            ["HATBOX__Storage__Provider"] = "s3",
            ["HATBOX__Storage__S3__ServiceUrl"] = _stores.S3,
            ["HATBOX__Storage__S3__Bucket"] = "down-at-start",
            ["HATBOX__Storage__S3__AccessKey"] = ScaleOutStores.S3AccessKey,
            ["HATBOX__Storage__S3__SecretKey"] = ScaleOutStores.S3SecretKey,
        };
        var boot = await ScaleOutNode.AdminAsync(environment, "admin", "bootstrap", "--email", "ops@example.test",
            "--password", "a long test password", "--org", "Restart", "--workspace", "restart", "--plan", "pro");
        var key = boot.GetProperty("apiKey").GetString()!;
        await _stores.PauseAsync("postgres");
        await _stores.PauseAsync("s3");
        await _redis.StopAsync();

        var node = await StartNodeAsync(environment);
        using var client = node.CreateClient();
        var listening = Stopwatch.StartNew();
        var health = await HealthAsync(client);
        // A fresh node's first answer costs ~2.5 s on the 2-core CI machine with every store up too (JIT, TLS):
        // the bound is for a node that waits on its store before it answers, which would take the connect timeouts.
        Assert.True(listening.Elapsed < TimeSpan.FromSeconds(5), $"/health took {listening.Elapsed} after the node listened");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal("down", health.GetProperty("services").GetProperty("platform").GetString());
        Assert.Equal("down", health.GetProperty("services").GetProperty("database").GetString());
        await HealthShowsAsync(client, "redis", "down");
        await HealthShowsAsync(client, "storage", "down");

        // Not ready: everything but /health and the server info is refused, before any key is looked at.
        await AssertUnavailableAsync(await SendAsync(client, HttpMethod.Post, "/authentication", key), "platform");
        await AssertUnavailableAsync(await SendAsync(client, HttpMethod.Post, "/db/query", key, Json(new { query = "SELECT 1" })), "platform");
        await AssertUnavailableAsync(await SendAsync(client, HttpMethod.Get, "/v1/workspaces", key), "platform");
        using (var info = await client.GetAsync("/", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        }
        using (var page = new HttpRequestMessage(HttpMethod.Get, "/signin"))
        {
            // A browser gets a page that says so, not JSON and never a stack trace.
            page.Headers.Accept.ParseAdd("text/html");
            using var answer = await client.SendAsync(page, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
            Assert.True(answer.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "the page came without Retry-After");
        }

        // PostgreSQL back: the node migrates and gets ready by itself. Redis is still down, so keyed calls are
        // refused naming it (limits cannot be counted), as on a running node.
        await _stores.ResumeAsync("postgres");
        await HealthShowsAsync(client, "platform", "ok");
        await AssertUnavailableAsync(await SendAsync(client, HttpMethod.Post, "/authentication", key), "redis");

        // Redis back: the key works, a row written is read back; S3 is still down, so only uploads are refused.
        await _redis.RestartAsync();
        await HealthShowsAsync(client, "redis", "ok");
        await UntilOkAsync(client, HttpMethod.Post, "/authentication", key);
        await OkAsync(client, "/db/query", key, new { query = "CREATE TABLE notes (id bigint PRIMARY KEY, body text)" });
        await OkAsync(client, "/db/insert", key, new { table = "notes", data = new { id = 1, body = "written after a cold start" } });
        var rows = await OkAsync(client, "/db/query", key, new { query = "SELECT body FROM notes WHERE id = 1" });
        Assert.Equal("written after a cold start", rows.GetProperty("data")[0].GetProperty("body").GetString());
        await AssertUnavailableAsync(await UploadAsync(client, key), "storage");

        await _stores.ResumeAsync("s3");
        await HealthShowsAsync(client, "storage", "ok");
        Assert.Equal("ok", (await HealthAsync(client)).GetProperty("status").GetString());
        using var uploaded = await UploadAsync(client, key);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
    }

    [Fact]
    public async Task TwoNodesStartedTogetherWhilePostgresIsDownBothBecomeReadyAndMigrateOnce()
    {
        // A fresh database, then the server goes away before either node has seen it.
        var connection = await CreateDatabaseAsync("fresh");
        await _stores.PauseAsync("postgres");
        var environment = new Dictionary<string, string>(ScaleOutStores.NodeEnvironment(connection))
        {
            // Each node logs every migration it applies: together they must apply each one once.
            ["HATBOX__Logging__LogLevel__Microsoft.EntityFrameworkCore.Migrations"] = "Information",
        };
        var nodes = await Task.WhenAll(StartNodeAsync(environment), StartNodeAsync(environment));
        var clients = nodes.Select(node => node.CreateClient()).ToArray();
        foreach (var client in clients)
        {
            Assert.Equal("down", (await HealthAsync(client)).GetProperty("services").GetProperty("platform").GetString());
            await AssertUnavailableAsync(await SendAsync(client, HttpMethod.Post, "/authentication", "wh_live_not_checked_yet"), "platform");
        }

        await _stores.ResumeAsync("postgres");
        await Task.WhenAll(clients.Select(client => HealthShowsAsync(client, "platform", "ok")));

        var migrations = typeof(Hatbox.Data.HatboxDbContext).Assembly.GetTypes()
            .Count(t => t.Namespace == "Hatbox.Data.Postgres.Migrations" && t.GetCustomAttribute<MigrationAttribute>() is not null);
        Assert.Equal(migrations, await ScalarAsync(connection, """SELECT count(DISTINCT "MigrationId")::int8 FROM "__EFMigrationsHistory" """));
        Assert.Equal(migrations, await ScalarAsync(connection, """SELECT count(*)::int8 FROM "__EFMigrationsHistory" """));
        var applied = nodes.Sum(node => node.Output.Count(line => line.Contains("Applying migration", StringComparison.Ordinal)));
        Assert.True(applied == migrations, $"{applied} migrations applied by the two nodes, {migrations} expected");

        var boot = await ScaleOutNode.AdminAsync(environment, "admin", "bootstrap", "--email", "pair@example.test",
            "--password", "a long test password", "--org", "Pair", "--workspace", "pair");
        var key = boot.GetProperty("apiKey").GetString()!;
        foreach (var client in clients)
        {
            await UntilOkAsync(client, HttpMethod.Post, "/authentication", key);
            client.Dispose();
        }
    }

    async Task<ScaleOutNode> StartNodeAsync(IReadOnlyDictionary<string, string> environment)
    {
        var node = await ScaleOutNode.StartAsync(environment);
        lock (_nodes)
        {
            _nodes.Add(node);
        }
        return node;
    }

    async Task<string> CreateDatabaseAsync(string name)
    {
        await using var admin = new NpgsqlConnection(_stores.Postgres);
        await admin.OpenAsync(Ct);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync(Ct);
        return new NpgsqlConnectionStringBuilder(_stores.Postgres) { Database = name }.ToString();
    }

    static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    static async Task AssertUnavailableAsync(HttpResponseMessage response, string service)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {body}");
            Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "503 without Retry-After");
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.Equal(ErrorCodes.ServiceUnavailable, error.GetProperty("code").GetString());
            Assert.Equal(service, error.GetProperty("param").GetString());
        }
    }

    static async Task<JsonElement> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>Waits (up to 30 s: a store's probe runs once a second, the start-up retries at most 3 s apart) for the service's state.</summary>
    static async Task HealthShowsAsync(HttpClient client, string service, string state)
    {
        var waited = Stopwatch.StartNew();
        JsonElement health;
        while ((health = await HealthAsync(client)).GetProperty("services").GetProperty(service).GetString() != state)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"/health never showed {service} {state}: {health}");
            await Task.Delay(200, Ct);
        }
        if (state == "down")
        {
            Assert.Equal("degraded", health.GetProperty("status").GetString());
        }
    }

    /// <summary>
    /// Retries a call that may still meet the last seconds of an outage (a 503 naming a store) until it
    /// succeeds, up to 20 s; any other failure fails at once.
    /// </summary>
    static async Task UntilOkAsync(HttpClient client, HttpMethod method, string path, string key)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var response = await SendAsync(client, method, path, key);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && waited.Elapsed < TimeSpan.FromSeconds(20),
                $"{path}: {(int)response.StatusCode} {body}");
            await Task.Delay(200, Ct);
        }
    }

    static JsonContent Json(object body) => JsonContent.Create(body);

    static Task<HttpResponseMessage> UploadAsync(HttpClient client, string key)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[4_096]), "file", $"cold-{Guid.NewGuid():N}.bin" } };
        return SendAsync(client, HttpMethod.Post, "/storage/upload", key, form);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }
    }
}
