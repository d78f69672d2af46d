using System.Net;
using System.Text;
using Hatbox.Common.Errors;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Ai.Index.Sqlite;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Ai;

/// <summary>
/// The search index over real HTTP with the real model: what survives a restart, and what a
/// hostile caller cannot do through the AI endpoints.
/// </summary>
public sealed class AiIndexTests() : ServerTest(DbTestSettings.With())
{
    static readonly string[] Items =
    [
        "Wireless headphones with noise cancelling", "Cast iron skillet for searing", "Garden hose with spray nozzle",
        "Trail running shoes", "Espresso machine with milk frother", "Bluetooth speaker for the beach",
    ];

    static async Task SeedAsync(DbClient db)
    {
        await db.QueryOkAsync("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        foreach (var item in Items)
            await db.QueryOkAsync("INSERT INTO items (name) VALUES ($1)", DbClient.Positional(item));
    }

    static async Task<System.Text.Json.JsonElement> SearchUntilReadyAsync(DbClient db, string query = "music")
    {
        for (var attempt = 0; ; attempt++)
        {
            var body = await db.OkAsync(HttpMethod.Post, "/db/semantic-search", new { table = "items", query, limit = 3 });
            if (body.GetProperty("_meta").GetProperty("index_status").GetProperty("state").GetString() == "ready" || attempt > 100)
                return body;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task ARestartReembedsNothingAndCatchesUpOnWritesMadeWhileItWasDown()
    {
        var folder = Directory.CreateTempSubdirectory("hatbox-ai-restart-").FullName;
        try
        {
            TestTenant tenant;
            await using (var first = await TestServer.StartAsync(DbTestSettings.With(), sharedDataDirectory: folder))
            {
                using var http = first.CreateClient();
                tenant = await TestTenant.CreateAsync(first);
                var db = new DbClient(http, tenant.ApiKey);
                await SeedAsync(db);
                await SearchUntilReadyAsync(db);
                Assert.Equal(Items.Length, first.Services.GetRequiredService<SearchIndexes>().EmbeddedRows);
            }

            await using var second = await TestServer.StartAsync(DbTestSettings.With(), sharedDataDirectory: folder);
            using var client = second.CreateClient();
            var again = new DbClient(client, tenant.ApiKey);
            var body = await SearchUntilReadyAsync(again, "wireless music headphones");

            Assert.Equal("Wireless headphones with noise cancelling",
                body.GetProperty("results")[0].GetProperty("record").GetProperty("name").GetString());
            Assert.Equal(0, second.Services.GetRequiredService<SearchIndexes>().EmbeddedRows);

            await again.QueryOkAsync("UPDATE items SET name = 'Violin with a bow' WHERE id = 2");
            var violin = await SearchUntilReadyAsync(again, "string instrument");
            Assert.Equal(2, violin.GetProperty("results")[0].GetProperty("record").GetProperty("id").GetInt64());
            Assert.Equal(1, second.Services.GetRequiredService<SearchIndexes>().EmbeddedRows);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheIndexFileLivesInTheWorkspacesFolderSoTheQuotaCountsIt()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);
        await SeedAsync(db);
        await SearchUntilReadyAsync(db);

        var file = Path.Combine(DbTestSettings.TenantFolder(Server, tenant), "production" + SqliteIndexStores.IndexFileExtension);
        Assert.True(new FileInfo(file).Length > 0);
    }

    [Theory]
    [InlineData("\"unterminated")]
    [InlineData("name:* NEAR(a b) OR AND NOT")]
    [InlineData("'; DROP TABLE items; --")]
    [InlineData("\u0000\uFFFF\uD83D\uDE00")]
    public async Task KeywordSyntaxAndHostileTextInAQueryAreOnlyText(string query)
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);
        await SeedAsync(db);

        var body = await db.OkAsync(HttpMethod.Post, "/db/hybrid-search", new { table = "items", query });

        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(Items.Length, await db.CountAsync("items"));
    }

    [Fact]
    public async Task HostileTableNamesAreUnknownTablesNotSql()
    {
        var db = new DbClient(Http, (await TestTenant.CreateAsync(Server)).ApiKey);
        await SeedAsync(db);

        foreach (var table in new[] { "items\"; DROP TABLE items; --", "sqlite_master", "items WHERE 1=1" })
        {
            await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/semantic-search", new { table, query = "x" }),
                HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        }
        Assert.Equal(Items.Length, await db.CountAsync("items"));
    }

    [Fact]
    public async Task BrokenBodiesAndRevokedKeysAreRefusedBeforeAnyWork()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);

        using var broken = new HttpRequestMessage(HttpMethod.Post, "/db/cluster") { Content = new StringContent("{\"table\": ", Encoding.UTF8, "application/json") };
        broken.Headers.TryAddWithoutValidation("Authorization", "Bearer " + tenant.ApiKey);
        await DbClient.ErrorAsync(await Http.SendAsync(broken, TestContext.Current.CancellationToken), HttpStatusCode.BadRequest, ErrorCodes.InvalidJson);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/recommend", new { table = "items", limit = "many" }),
            HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);

        await tenant.RevokeAsync(Server, tenant.KeyId);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/semantic-search", new { table = "items", query = "x" }),
            HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyRevoked);
    }
}
