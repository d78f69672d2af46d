using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// /db on the PostgreSQL engine (HATBOX_TEST_POSTGRES): the same answers as on SQLite, and a tenant
/// that tries to leave its schema. Platform and tenants share one PostgreSQL database here on
/// purpose, so "cannot read the platform's tables" is tested where they are closest.
/// </summary>
public sealed class PostgresTenantTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly string _database = "hb_tenants_" + Guid.NewGuid().ToString("N")[..12];
    TestServer _server = null!;
    HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        var connection = await ScaleOutStores.CreateDatabaseAsync(_database);
        _server = await TestServer.StartAsync(new()
        {
            ["Platform:Provider"] = "postgres",
            ["Platform:ConnectionString"] = connection,
            ["Tenants:Provider"] = "postgres",
            ["Tenants:ConnectionString"] = connection,
            ["Db:QueryTimeoutMilliseconds"] = "1500",
        });
        _http = _server.CreateClient();
    }

    async Task<DbClient> TenantAsync() => new(_http, (await TestTenant.CreateAsync(_server)).ApiKey);

    [Fact]
    public async Task RowsWrittenThroughTheApiAreReadBackWithTheSameShapes()
    {
        var db = await TenantAsync();
        await db.QueryOkAsync("CREATE TABLE notes (id bigserial PRIMARY KEY, title text NOT NULL, stars int, done boolean DEFAULT false)");

        var inserted = await db.OkAsync(HttpMethod.Post, "/db/insert", new { table = "notes", data = new { title = "first", stars = 3 } });
        Assert.Equal("first", inserted.GetProperty("data").GetProperty("title").GetString());
        Assert.Equal(1, inserted.GetProperty("data").GetProperty("id").GetInt64());
        await db.QueryOkAsync("INSERT INTO notes (title, stars) VALUES ({title}, {stars})", new { title = "second", stars = 5 });

        var rows = await db.RowsAsync("SELECT id, title, stars, done FROM notes WHERE stars >= $1 ORDER BY id", DbClient.Positional(3));
        Assert.Equal(["first", "second"], rows.Select(r => r.GetProperty("title").GetString()));
        Assert.Equal(0, rows[0].GetProperty("done").GetInt64());
        Assert.Equal(2, await db.CountAsync("notes"));
        var updated = await db.OkAsync(HttpMethod.Put, "/db/update", new { table = "notes", data = new { stars = 4 }, where = new { title = "first" } });
        Assert.Equal(1, updated.GetProperty("count").GetInt64());
        var tables = await db.OkAsync(HttpMethod.Get, "/db/tables");
        Assert.Equal(["notes"], tables.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task TheSameErrorCodesAsOnSqlite()
    {
        var db = await TenantAsync();
        await db.QueryOkAsync("CREATE TABLE t (id int PRIMARY KEY)");
        await db.QueryOkAsync("INSERT INTO t VALUES (1)");

        await DbClient.ErrorAsync(await db.QueryAsync("SELECT * FROM missing"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await db.QueryAsync("INSERT INTO t VALUES (1)"), HttpStatusCode.Conflict, ErrorCodes.ConstraintViolation);
        await DbClient.ErrorAsync(await db.QueryAsync("SELEKT 1"), HttpStatusCode.BadRequest, ErrorCodes.SqlError);
        await DbClient.ErrorAsync(await db.QueryAsync("DELETE FROM t"), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
        await DbClient.ErrorAsync(await db.QueryAsync("SELECT $1::int"), HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Get, "/db/tables/missing/count"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
    }

    [Theory]
    [InlineData("SELECT 1; RESET ROLE")]
    [InlineData("SELECT 1; SELECT * FROM pg_authid")]
    [InlineData("COMMIT")]
    [InlineData("SET ROLE hatbox_admin")]
    [InlineData("RESET ROLE")]
    [InlineData("SET search_path = public")]
    [InlineData("COPY (SELECT 1) TO PROGRAM 'id'")]
    [InlineData("CREATE EXTENSION dblink")]
    [InlineData("CREATE ROLE intruder SUPERUSER")]
    [InlineData("CREATE SCHEMA elsewhere")]
    [InlineData("DO $$ BEGIN PERFORM 1; END $$")]
    [InlineData("LISTEN anything")]
    [InlineData("GRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC")]
    public async Task StatementsOutsideTheApiAreRefusedByName(string sql)
    {
        var db = await TenantAsync();
        await DbClient.ErrorAsync(await db.QueryAsync(sql), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
    }

    [Theory]
    [InlineData("SELECT * FROM public.api_keys")]
    [InlineData("SELECT * FROM public.users")]
    [InlineData("SELECT * FROM hatbox_tenancy.password_key")]
    [InlineData("SELECT pg_read_file('/etc/passwd')")]
    [InlineData("SELECT * FROM pg_authid")]
    [InlineData("SELECT lo_from_bytea(0, 'x'::bytea)")]
    [InlineData("SELECT lo_import('/etc/passwd')")]
    [InlineData("SELECT pg_ls_dir('.')")]
    [InlineData("CREATE TABLE public.planted (id int)")]
    public async Task ThePlatformsTablesServerFilesAndLargeObjectsAreOutOfReach(string sql)
    {
        var db = await TenantAsync();
        await DbClient.ErrorAsync(await db.QueryAsync(sql), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
    }

    [Fact]
    public async Task AnotherTenantsSchemaCannotBeReadEvenByItsName()
    {
        var victim = await TenantAsync();
        await victim.QueryOkAsync("CREATE TABLE secrets (v text)");
        await victim.QueryOkAsync("INSERT INTO secrets VALUES ('only mine')");
        var attacker = await TenantAsync();

        // pg_catalog is readable by every role, so the schema's opaque name can be found…
        var schemas = await attacker.RowsAsync("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' AND nspname <> current_schema()");
        Assert.NotEmpty(schemas);
        foreach (var schema in schemas.Select(s => s.GetProperty("nspname").GetString()))
        {
            // …but neither read nor written, nor its role taken.
            await DbClient.ErrorAsync(await attacker.QueryAsync($"SELECT * FROM \"{schema}\".secrets"), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
            await DbClient.ErrorAsync(await attacker.QueryAsync($"CREATE TABLE \"{schema}\".planted (id int)"), HttpStatusCode.BadRequest, ErrorCodes.QueryNotAllowed);
        }
        // set_config is an ordinary function: it changes nothing the role may see.
        await attacker.QueryOkAsync("SELECT set_config('search_path', $1, false)", DbClient.Positional(schemas[0].GetProperty("nspname").GetString()));
        await DbClient.ErrorAsync(await attacker.QueryAsync("SELECT * FROM secrets"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        Assert.Equal("only mine", (await victim.RowsAsync("SELECT v FROM secrets"))[0].GetProperty("v").GetString());
    }

    [Fact]
    public async Task ASearchPathOrTimeoutChangedByOneStatementDoesNotOutliveIt()
    {
        var db = await TenantAsync();
        await db.QueryOkAsync("CREATE TABLE mine (id int)");
        await db.QueryOkAsync("SELECT set_config('search_path', 'pg_catalog', false), set_config('statement_timeout', '0', false)");

        Assert.Empty(await db.RowsAsync("SELECT * FROM mine"));
        // Every pooled connection (4 a tenant) changed by a statement, then read by the next ones:
        // each statement starts from the connection's own settings again.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => db.QueryOkAsync(
            "SELECT set_config('search_path', 'pg_catalog', false), set_config('statement_timeout', '0', false), set_config('lock_timeout', '0', false) FROM pg_sleep(0.05)")));
        var settings = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => db.RowsAsync(
            "SELECT current_setting('search_path') AS path, current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock FROM pg_sleep(0.05)")));
        foreach (var row in settings.Select(rows => rows.Single()))
        {
            Assert.StartsWith("t_", row.GetProperty("path").GetString()!.Trim('"'), StringComparison.Ordinal);
            Assert.Equal("1500ms", row.GetProperty("statement").GetString());
            Assert.Equal("1500ms", row.GetProperty("lock").GetString());
        }
        // A void result (pg_sleep's) is a null, not a 500.
        var slept = Assert.Single(await db.RowsAsync("SELECT pg_sleep(0.01) AS slept, 1 AS one"));
        Assert.Equal(JsonValueKind.Null, slept.GetProperty("slept").ValueKind);
        Assert.Equal(1, slept.GetProperty("one").GetInt64());
        var watch = Stopwatch.StartNew();
        await DbClient.ErrorAsync(await db.QueryAsync("SELECT pg_sleep(30)"), HttpStatusCode.UnprocessableEntity, ErrorCodes.QueryTimeout);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task EndlessAndLockHoldingStatementsAreStoppedAtTheDeadline()
    {
        var db = await TenantAsync();
        var watch = Stopwatch.StartNew();
        await DbClient.ErrorAsync(await db.QueryAsync("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"),
            HttpStatusCode.UnprocessableEntity, ErrorCodes.QueryTimeout);
        // A statement's set_config cannot lift the deadline of the statement it runs in.
        await DbClient.ErrorAsync(await db.QueryAsync("SELECT set_config('statement_timeout', '0', true), pg_sleep(30)"),
            HttpStatusCode.UnprocessableEntity, ErrorCodes.QueryTimeout);
        await DbClient.ErrorAsync(await db.QueryAsync("SELECT pg_advisory_lock(1), pg_sleep(30)"), HttpStatusCode.UnprocessableEntity, ErrorCodes.QueryTimeout);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        // The lock went with the transaction's connection state? Session advisory locks outlive a
        // statement, so a second tenant must still get its own answers in time.
        var other = await TenantAsync();
        Assert.Single(await other.RowsAsync("SELECT 1 AS one"));
    }

    [Fact]
    public async Task EachEnvironmentIsASchemaOfItsOwn()
    {
        var db = await TenantAsync();
        await db.QueryOkAsync("CREATE TABLE t (v text)", environment: "development");
        await db.QueryOkAsync("INSERT INTO t VALUES ('dev')", environment: "development");

        await DbClient.ErrorAsync(await db.QueryAsync("SELECT * FROM t"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        Assert.Single(await db.RowsAsync("SELECT * FROM t", environment: "development"));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await ScaleOutStores.DropDatabaseAsync(_database);
    }
}
