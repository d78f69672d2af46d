using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Npgsql;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// A node on PostgreSQL, Redis and S3 whose stores are stopped, one at a time, as processes: calls
/// that need the missing store answer <c>503 service_unavailable</c> naming it, with
/// <c>Retry-After</c>; <c>/health</c> names it; what was acknowledged before is still there after;
/// and the node serves again by itself once the store is back.
/// </summary>
public sealed class StoreOutageTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    PrivateStores _stores = null!;
    RedisServer _redis = null!;
    ScaleOutNode _node = null!;
    HttpClient _client = null!;
    Dictionary<string, string> _environment = null!;

    public async ValueTask InitializeAsync()
    {
        // The suite's own services show that PostgreSQL and s3rver are installed here.
        ScaleOutStores.RequirePostgres();
        ScaleOutStores.RequireS3();
        _stores = await PrivateStores.StartAsync();
        _redis = await RedisServer.StartAsync();
        var connection = new NpgsqlConnectionStringBuilder(_stores.Postgres) { Database = "postgres" }.ToString();
        _environment = new(ScaleOutStores.NodeEnvironment(connection, _redis.Configuration))
        {
            ["HATBOX__Storage__Provider"] = "s3",
            ["HATBOX__Storage__S3__ServiceUrl"] = _stores.S3,
            ["HATBOX__Storage__S3__Bucket"] = "outage",
            ["HATBOX__Storage__S3__AccessKey"] = ScaleOutStores.S3AccessKey,
            ["HATBOX__Storage__S3__SecretKey"] = ScaleOutStores.S3SecretKey,
        };
        _node = await ScaleOutNode.StartAsync(_environment);
        _client = _node.CreateClient();
    }

    [Fact]
    public async Task EachStoreDownAnswers503NamingItAndTheNodeRecoversByItselfWithNothingAcknowledgedLost()
    {
        var boot = await ScaleOutNode.AdminAsync(_environment, "admin", "bootstrap", "--email", "ops@example.test",
            "--password", "a long test password", "--org", "Outage", "--workspace", "outage", "--plan", "pro");
        var key = boot.GetProperty("apiKey").GetString()!;
        await HealthyAsync();
        await OkAsync("/db/query", key, new { query = "CREATE TABLE notes (id bigint PRIMARY KEY)" });
        var fileBytes = Enumerable.Range(0, 9_000).Select(i => (byte)i).ToArray();
        var fileId = await UploadAsync(key, fileBytes);

        // S3 down: uploads are refused (503 storage); the database still serves.
        await _stores.PauseAsync("s3");
        await HealthShowsAsync("storage", "down");
        using (var refused = await UploadResponseAsync(key, fileBytes))
        {
            await AssertUnavailableAsync(refused, "storage");
        }
        await OkAsync("/db/insert", key, new { table = "notes", data = new { id = 1 } });
        await _stores.ResumeAsync("s3");
        await HealthyAsync();
        Assert.Equal(fileBytes, await DownloadAsync(key, fileId));
        await UploadAsync(key, fileBytes);

        // Redis down: nothing can be limited or counted exactly, so API calls are refused (503 redis).
        await _redis.StopAsync();
        await HealthShowsAsync("redis", "down");
        using (var refused = await SendAsync(HttpMethod.Post, "/db/query", key, JsonContent.Create(new { query = "SELECT 1" })))
        {
            await AssertUnavailableAsync(refused, "redis");
        }
        await _redis.RestartAsync();
        await HealthyAsync();
        await OkAsync("/db/insert", key, new { table = "notes", data = new { id = 2 } });

        // PostgreSQL down while a writer keeps inserting: every insert is either acknowledged or refused
        // with a 503 (the key's platform lookup or the tenant's schema, whichever comes first), and
        // every acknowledged one is there afterwards.
        var acknowledged = new List<long> { 1, 2 };
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var refusals = 0;
        var writer = Task.Run(async () =>
        {
            for (long id = 100; !writing.IsCancellationRequested; id++)
            {
                using var response = await SendAsync(HttpMethod.Post, "/db/insert", key, JsonContent.Create(new { table = "notes", data = new { id } }));
                if (response.IsSuccessStatusCode)
                {
                    acknowledged.Add(id);
                    await Task.Delay(20, CancellationToken.None);
                    continue;
                }
                await AssertUnavailableAsync(response, "platform", "tenants");
                refusals++;
                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);
        await Task.Delay(300, Ct);
        await _stores.PauseAsync("postgres");
        // Two probes, each on its own second: the tenants' may see the outage a moment after the platform's.
        await HealthShowsAsync("platform", "down");
        await HealthShowsAsync("tenants", "down");
        await Task.Delay(500, Ct);
        await _stores.ResumeAsync("postgres");
        await HealthyAsync();
        await Task.Delay(500, Ct);
        await writing.CancelAsync();
        await writer;
        Assert.True(refusals > 0, "no insert was refused while PostgreSQL was down");

        // Back by itself: the first calls after /health says ok succeed, and every acknowledged row is there.
        var rows = await OkAsync("/db/query", key, new { query = "SELECT id FROM notes ORDER BY id" });
        var stored = rows.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToHashSet();
        var lost = acknowledged.Where(id => !stored.Contains(id)).ToArray();
        Assert.True(lost.Length == 0, $"acknowledged inserts missing after the outage: {string.Join(", ", lost)}");
        Assert.Equal(fileBytes, await DownloadAsync(key, fileId));
    }

    static async Task AssertUnavailableAsync(HttpResponseMessage response, params string[] services)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "503 without Retry-After");
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("error");
        Assert.Equal(ErrorCodes.ServiceUnavailable, error.GetProperty("code").GetString());
        Assert.Contains(error.GetProperty("param").GetString(), services);
    }

    async Task<JsonElement> HealthAsync()
    {
        using var response = await _client.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>Waits (up to 20 s) until <c>/health</c> shows the service in that state; the probes run once a second.</summary>
    async Task HealthShowsAsync(string service, string state)
    {
        var waited = Stopwatch.StartNew();
        JsonElement health;
        while ((health = await HealthAsync()).GetProperty("services").GetProperty(service).GetString() != state)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"/health never showed {service} {state}: {health}");
            await Task.Delay(200, Ct);
        }
        if (state == "down")
        {
            Assert.Equal("degraded", health.GetProperty("status").GetString());
        }
    }

    async Task HealthyAsync()
    {
        var waited = Stopwatch.StartNew();
        JsonElement health;
        while ((health = await HealthAsync()).GetProperty("status").GetString() != "ok")
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"/health never came back ok: {health}\n" +
                string.Join('\n', _node.Output.Where(line => line.Contains("store is now", StringComparison.Ordinal))));
            await Task.Delay(200, Ct);
        }
        foreach (var service in new[] { "platform", "tenants", "redis", "storage" })
        {
            Assert.Equal("ok", health.GetProperty("services").GetProperty(service).GetString());
        }
    }

    Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return _client.SendAsync(request, CancellationToken.None);
    }

    async Task<JsonElement> OkAsync(string path, string key, object body)
    {
        using var response = await SendAsync(HttpMethod.Post, path, key, JsonContent.Create(body));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {json}");
        return json;
    }

    // A new name each time: an upload to an existing path replaces that file.
    Task<HttpResponseMessage> UploadResponseAsync(string key, byte[] bytes)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", $"outage-{Guid.NewGuid():N}.bin" } };
        return SendAsync(HttpMethod.Post, "/storage/upload", key, form);
    }

    async Task<string> UploadAsync(string key, byte[] bytes)
    {
        using var response = await UploadResponseAsync(key, bytes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("file").GetProperty("id").GetString()!;
    }

    async Task<byte[]> DownloadAsync(string key, string fileId)
    {
        using var fetched = await SendAsync(HttpMethod.Get, $"/storage/fetch/{fileId}", key);
        Assert.True(fetched.StatusCode == HttpStatusCode.OK, $"fetch {fileId}: {(int)fetched.StatusCode} {await fetched.Content.ReadAsStringAsync(Ct)}");
        var url = new Uri((await fetched.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("file").GetProperty("url").GetString()!);
        return await _client.GetByteArrayAsync(url.PathAndQuery, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_node is not null)
        {
            await _node.DisposeAsync();
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
