using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Npgsql;

using static Hatbox.Tests.ScaleOut.KeyedRequests;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// Three <c>hatbox serve</c> processes, each with its own data folder, sharing PostgreSQL (platform
/// and tenants), Redis and the S3 stand-in: any node answers for what another one wrote.
/// </summary>
public sealed class ThreeNodeTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly string _database = "hb_cluster_" + Guid.NewGuid().ToString("N")[..12];
    readonly List<ScaleOutNode> _nodes = [];
    readonly List<HttpClient> _clients = [];
    RedisServer _redis = null!;
    Dictionary<string, string> _environment = null!;
    string _connection = null!;

    public async ValueTask InitializeAsync()
    {
        ScaleOutStores.RequirePostgres();
        ScaleOutStores.RequireS3();
        _redis = await RedisServer.StartAsync();
        _connection = await ScaleOutStores.CreateDatabaseAsync(_database);
        _environment = ScaleOutStores.NodeEnvironment(_connection, _redis.Configuration);
        foreach (var (key, value) in ScaleOutStores.S3Settings(_database.Replace('_', '-')))
        {
            _environment["HATBOX__" + key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }
        // Started together, as a deployment does: they migrate once between them (advisory lock).
        _nodes.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ScaleOutNode.StartAsync(_environment))));
        _clients.AddRange(_nodes.Select(n => n.CreateClient()));
    }

    [Fact]
    public async Task AnyNodeServesWhatAnotherWroteAndARevocationReachesAllWithinOneSecond()
    {
        var boot = await ScaleOutNode.AdminAsync(_environment, "admin", "bootstrap", "--email", "ops@example.test",
            "--password", "a long test password", "--org", "Cluster", "--workspace", "cluster");
        var key = boot.GetProperty("apiKey").GetString()!;

        // A key made by the CLI works on every node at once.
        foreach (var client in _clients)
        {
            using var auth = await SendAsync(client, HttpMethod.Post, "/authentication", key);
            Assert.Equal(HttpStatusCode.OK, auth.StatusCode);
        }

        // A row written through one node is read through another.
        await OkAsync(_clients[0], "/db/query", key, new { query = "CREATE TABLE visits (id bigserial PRIMARY KEY, node int)" });
        await OkAsync(_clients[1], "/db/insert", key, new { table = "visits", data = new { node = 1 } });
        var rows = await OkAsync(_clients[2], "/db/query", key, new { query = "SELECT node FROM visits" });
        Assert.Equal(1, rows.GetProperty("data")[0].GetProperty("node").GetInt64());

        // A file uploaded through one node is fetched through a second and downloaded, by its signed
        // URL, through a third: the bytes are in the bucket and the signing key is shared.
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "cluster.bin" } };
        using var uploaded = await SendAsync(_clients[0], HttpMethod.Post, "/storage/upload", key, form);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var fileId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("file").GetProperty("id").GetString()!;
        using var fetched = await SendAsync(_clients[1], HttpMethod.Get, $"/storage/fetch/{fileId}", key);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var url = new Uri((await fetched.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("file").GetProperty("url").GetString()!);
        Assert.Equal(_nodes[1].Address.Port, url.Port);
        using var downloaded = await _clients[2].GetAsync(url.PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
        Assert.Equal(bytes, await downloaded.Content.ReadAsByteArrayAsync(Ct));

        // A second key, revoked by the CLI, fails on every node within a second of the command's return.
        var second = await ScaleOutNode.AdminAsync(_environment, "admin", "keys", "create", "--workspace", "cluster");
        var secondKey = second.GetProperty("apiKey").GetString()!;
        foreach (var client in _clients)
        {
            using var auth = await SendAsync(client, HttpMethod.Post, "/authentication", secondKey);
            Assert.Equal(HttpStatusCode.OK, auth.StatusCode);
        }
        await ScaleOutNode.AdminAsync(_environment, "admin", "keys", "revoke", "--workspace", "cluster", second.GetProperty("keyId").GetString()!);
        var revokedAt = Stopwatch.StartNew();
        foreach (var client in _clients)
        {
            while (true)
            {
                using var auth = await SendAsync(client, HttpMethod.Post, "/authentication", secondKey);
                if (auth.StatusCode == HttpStatusCode.Unauthorized)
                {
                    await ErrorAssert.IsErrorAsync(auth, HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyRevoked);
                    break;
                }
                Assert.True(revokedAt.Elapsed < TimeSpan.FromSeconds(1), $"node {client.BaseAddress} still accepts a key revoked {revokedAt.Elapsed} ago");
                await Task.Delay(20, Ct);
            }
        }
        Assert.True(revokedAt.Elapsed < TimeSpan.FromSeconds(1), $"revocation took {revokedAt.Elapsed}");
    }

    [Fact]
    public async Task RequestsSpreadOverTheNodesAreCountedOnceAndMigrationsRanOnce()
    {
        var boot = await ScaleOutNode.AdminAsync(_environment, "admin", "bootstrap", "--email", "count@example.test",
            "--password", "a long test password", "--org", "Counted", "--workspace", "counted");
        var key = boot.GetProperty("apiKey").GetString()!;
        const int Requests = 30;
        for (var i = 0; i < Requests; i++)
        {
            using var auth = await SendAsync(_clients[i % 3], HttpMethod.Post, "/authentication", key);
            Assert.Equal(HttpStatusCode.OK, auth.StatusCode);
        }

        // Each node flushes its own counts every two seconds; together they must add up to the calls made, no more.
        var counted = 0L;
        for (var attempt = 0; attempt < 50 && counted < Requests; attempt++)
        {
            await Task.Delay(200, Ct);
            counted = await ScalarAsync("""SELECT coalesce(sum("Requests"), 0)::int8 FROM usage_daily WHERE "OrganizationId" = $1""",
                boot.GetProperty("organizationId").GetString()!);
        }
        await Task.Delay(2_500, Ct);
        Assert.Equal(Requests, await ScalarAsync("""SELECT coalesce(sum("Requests"), 0)::int8 FROM usage_daily WHERE "OrganizationId" = $1""",
            boot.GetProperty("organizationId").GetString()!));
        // Three nodes started at once; the history holds each migration once and the schema is whole.
        Assert.Equal(await ScalarAsync("""SELECT count(DISTINCT "MigrationId")::int8 FROM "__EFMigrationsHistory" """),
            await ScalarAsync("""SELECT count(*)::int8 FROM "__EFMigrationsHistory" """));
    }

    async Task<long> ScalarAsync(string sql, params string[] values)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        foreach (var node in _nodes)
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
