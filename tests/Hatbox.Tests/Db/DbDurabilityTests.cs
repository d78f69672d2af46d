using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

/// <summary>
/// An answered write is on disk before the answer leaves. The kill -9 of a real server process is
/// in tests/sdk/db.test.mjs; here the data folder is copied while the server still runs, which
/// leaves the files exactly as a crash at that moment would.
/// </summary>
public sealed class DbDurabilityTests
{
    [Fact]
    public async Task AnAnsweredWriteIsInTheFilesACrashWouldLeaveBehind()
    {
        var crashed = Directory.CreateTempSubdirectory("hatbox-crash-").FullName;
        try
        {
            TestTenant tenant;
            await using (var server = await TestServer.StartAsync(DbTestSettings.With()))
            {
                using var http = server.CreateClient();
                tenant = await TestTenant.CreateAsync(server);
                var db = new DbClient(http, tenant.ApiKey);
                await db.QueryOkAsync("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)");
                await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "orders", data = new { total = 12.5 } });

                // Nothing is flushed or checkpointed first: the server is still running.
                CopyFolder(server.DataDirectory, crashed);
            }

            await using var restarted = await TestServer.StartAsync(DbTestSettings.With(), sharedDataDirectory: crashed);
            using var client = restarted.CreateClient();
            var row = Assert.Single(await new DbClient(client, tenant.ApiKey).RowsAsync("SELECT total FROM orders"));
            Assert.Equal(12.5, row.GetProperty("total").GetDouble());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(crashed, recursive: true);
        }
    }

    [Fact]
    public async Task RowsSurviveARestartInEveryEnvironment()
    {
        var data = Directory.CreateTempSubdirectory("hatbox-restart-").FullName;
        try
        {
            TestTenant tenant;
            await using (var server = await TestServer.StartAsync(DbTestSettings.With(), sharedDataDirectory: data))
            {
                using var http = server.CreateClient();
                tenant = await TestTenant.CreateAsync(server);
                var db = new DbClient(http, tenant.ApiKey);
                foreach (var environment in new[] { "development", "staging", "production" })
                {
                    await db.QueryOkAsync("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)", environment: environment);
                    await db.QueryOkAsync("INSERT INTO kv VALUES ('env', $1)", DbClient.Positional(environment), environment);
                }
            }

            await using var restarted = await TestServer.StartAsync(DbTestSettings.With(), sharedDataDirectory: data);
            using var client = restarted.CreateClient();
            var again = new DbClient(client, tenant.ApiKey);
            foreach (var environment in new[] { "development", "staging", "production" })
            {
                var row = Assert.Single(await again.RowsAsync("SELECT v FROM kv", environment: environment));
                Assert.Equal(environment, row.GetProperty("v").GetString());
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), overwrite: true);
        }
    }
}
