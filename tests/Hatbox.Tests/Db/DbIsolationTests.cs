using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

public sealed class DbIsolationTests() : ServerTest(DbTestSettings.With())
{
    [Fact]
    public async Task EachEnvironmentIsItsOwnDatabaseFile()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);

        await db.QueryOkAsync("CREATE TABLE secrets (v TEXT)", environment: "development");
        await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "secrets", data = new { v = "dev only" }, environment = "development" });

        Assert.Equal(1, await db.CountAsync("secrets", "development"));
        Assert.Equal(0, (await db.OkAsync(HttpMethod.Get, "/db/tables")).GetProperty("count").GetInt32());
        Assert.Equal(0, (await db.OkAsync(HttpMethod.Get, "/db/tables?environment=staging")).GetProperty("count").GetInt32());
        await DbClient.ErrorAsync(await db.QueryAsync("SELECT * FROM secrets"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Get, "/db/tables/secrets/count?environment=staging"),
            HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/insert", new { table = "secrets", data = new { v = "x" } }),
            HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        // Reads and refusals in production and staging created nothing; the query string names the environment too.
        Assert.Equal(["development.db", "development.db-shm", "development.db-wal"],
            Directory.GetFiles(DbTestSettings.TenantFolder(Server, tenant)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Single(await db.RowsAsync("SELECT v FROM secrets", environment: "development"));
    }

    [Fact]
    public async Task AnotherWorkspacesTableIsNotFound()
    {
        var owner = new DbClient(Http, (await TestTenant.CreateAsync(Server)).ApiKey);
        var stranger = new DbClient(Http, (await TestTenant.CreateAsync(Server)).ApiKey);
        await owner.QueryOkAsync("CREATE TABLE ledger (amount INTEGER)");
        await owner.QueryOkAsync("INSERT INTO ledger VALUES (100)");

        await DbClient.ErrorAsync(await stranger.QueryAsync("SELECT * FROM ledger"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await stranger.SendAsync(HttpMethod.Get, "/db/tables/ledger/count"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await stranger.SendAsync(HttpMethod.Get, "/db/tables/ledger/schema"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await stranger.SendAsync(HttpMethod.Put, "/db/update",
            new { table = "ledger", data = new { amount = 0 }, where = new { amount = 100 } }), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await stranger.SendAsync(HttpMethod.Delete, "/db/delete",
            new { table = "ledger", where = new { amount = 100 } }), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);

        Assert.Equal(0, (await stranger.OkAsync(HttpMethod.Get, "/db/tables")).GetProperty("count").GetInt32());
        Assert.Equal(100, Assert.Single(await owner.RowsAsync("SELECT amount FROM ledger")).GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task ReadsAndRefusedStatementsCreateNoDatabaseFile()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);

        Assert.Single(await db.RowsAsync("SELECT 1 AS one"));
        Assert.Empty(await db.RowsAsync("SELECT name FROM sqlite_schema"));
        Assert.Equal(0, (await db.OkAsync(HttpMethod.Get, "/db/tables")).GetProperty("count").GetInt32());
        await DbClient.ErrorAsync(await db.QueryAsync("CREATE VIEW v AS SELECT 1"), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
        await DbClient.ErrorAsync(await db.QueryAsync("VACUUM"), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
        await DbClient.ErrorAsync(await db.QueryAsync("PRAGMA user_version = 7"), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
        await DbClient.ErrorAsync(await db.QueryAsync("INSERT INTO t VALUES (1)"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await db.QueryAsync("CREATE TABLE t (x); CREATE TABLE u (x)"), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/insert", new { table = "t", data = new { x = 1 } }),
            HttpStatusCode.NotFound, ErrorCodes.TableNotFound);

        Assert.False(Directory.Exists(DbTestSettings.TenantFolder(Server, tenant)));

        await db.QueryOkAsync("CREATE TABLE t (x)");
        Assert.True(File.Exists(Path.Combine(DbTestSettings.TenantFolder(Server, tenant), "production.db")));
    }

    [Fact]
    public async Task ATenantsFolderIsReadableByTheServersUserAlone()
    {
        var tenant = await TestTenant.CreateAsync(Server);

        await new DbClient(Http, tenant.ApiKey).QueryOkAsync("CREATE TABLE t (x)");

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                File.GetUnixFileMode(DbTestSettings.TenantFolder(Server, tenant)));
        }
    }
}
