using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

public sealed class DbQueryTests() : ServerTest(DbTestSettings.With(("Db:MaxRows", "5"), ("Db:MaxResultBytes", "4096")))
{
    async Task<DbClient> NewTenantAsync() => new(Http, (await TestTenant.CreateAsync(Server)).ApiKey);

    static async Task CreateUsersAsync(DbClient db)
    {
        await db.QueryOkAsync("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, score REAL)");
    }

    [Fact]
    public async Task AQueryAnswersRowsExecutionTimeAndTheQueryAsTheSdkNamesThem()
    {
        var db = await NewTenantAsync();
        await CreateUsersAsync(db);
        await db.QueryOkAsync("INSERT INTO users (name, email, score) VALUES ({name}, {email}, {score})",
            new { name = "Ada", email = "ada@example.test", score = 9.5 });

        const string select = "SELECT id, name, email, score FROM users WHERE name = $1";
        var body = await db.QueryOkAsync(select, DbClient.Positional("Ada"));

        var row = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(1, row.GetProperty("id").GetInt64());
        Assert.Equal("Ada", row.GetProperty("name").GetString());
        Assert.Equal("ada@example.test", row.GetProperty("email").GetString());
        Assert.Equal(9.5, row.GetProperty("score").GetDouble());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("executionTime").ValueKind);
        Assert.Equal(select, body.GetProperty("query").GetString());
        Assert.False(body.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task ValuesKeepTheirTypesAndNullsStayNull()
    {
        var db = await NewTenantAsync();

        var row = Assert.Single(await db.RowsAsync(
            "SELECT 42 AS i, 1.25 AS r, 'text' AS t, NULL AS n, x'CAFE' AS b, $1 AS yes, $2 AS doc, 1e999 AS big",
            DbClient.Positional(true, new { a = 1 })));

        Assert.Equal(42, row.GetProperty("i").GetInt64());
        Assert.Equal(1.25, row.GetProperty("r").GetDouble());
        Assert.Equal("text", row.GetProperty("t").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("n").ValueKind);
        Assert.Equal(Convert.ToBase64String([0xCA, 0xFE]), row.GetProperty("b").GetString());
        Assert.Equal(1, row.GetProperty("yes").GetInt64());
        Assert.Equal("""{"a":1}""", row.GetProperty("doc").GetString());
        Assert.Equal("Infinity", row.GetProperty("big").GetString());
    }

    [Fact]
    public async Task ParameterValuesAreBoundNeverSpliced()
    {
        var db = await NewTenantAsync();
        await CreateUsersAsync(db);
        const string hostile = "x'); DROP TABLE users; --";

        await db.QueryOkAsync("INSERT INTO users (name) VALUES ({name})", new { name = hostile });
        var byValue = await db.RowsAsync("SELECT name FROM users WHERE id = {id}", new { id = "1 OR 1=1" });
        var stored = await db.RowsAsync("SELECT name FROM users");

        Assert.Empty(byValue);
        Assert.Equal(hostile, Assert.Single(stored).GetProperty("name").GetString());
        Assert.Equal(1, await db.CountAsync("users"));
    }

    [Fact]
    public async Task BracesInsideLiteralsQuotedNamesAndCommentsAreNotParameters()
    {
        var db = await NewTenantAsync();

        var row = Assert.Single(await db.RowsAsync("""
            SELECT '{name}' AS "{col}", {name} AS bound -- {ignored}
            /* {also ignored} */
            """, new { name = "value" }));

        Assert.Equal("{name}", row.GetProperty("{col}").GetString());
        Assert.Equal("value", row.GetProperty("bound").GetString());
    }

    [Fact]
    public async Task AParameterWithoutAValueIsRefusedBeforeAnythingRuns()
    {
        var db = await NewTenantAsync();
        await CreateUsersAsync(db);

        await DbClient.ErrorAsync(await db.QueryAsync("INSERT INTO users (name) VALUES ({name})", new { other = "x" }),
            HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
        await DbClient.ErrorAsync(await db.QueryAsync("INSERT INTO users (name) VALUES ($2)", DbClient.Positional("only one")),
            HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
        await DbClient.ErrorAsync(await db.QueryAsync("INSERT INTO users (name) VALUES (?)", DbClient.Positional("x")),
            HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);

        Assert.Equal(0, await db.CountAsync("users"));
    }

    [Fact]
    public async Task ResultsAreCutAtTheRowCapAndSaySo()
    {
        var db = await NewTenantAsync();

        var body = await db.QueryOkAsync("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50) SELECT x FROM n");

        Assert.Equal(5, body.GetProperty("data").GetArrayLength());
        Assert.True(body.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task ResultsAreCutAtTheSizeCapBeforeABigValueIsCopied()
    {
        var db = await NewTenantAsync();

        var some = await db.QueryOkAsync("SELECT zeroblob(3000) AS b FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)");
        var none = await db.QueryOkAsync("SELECT zeroblob(100000) AS b");

        Assert.Equal(1, some.GetProperty("data").GetArrayLength());
        Assert.True(some.GetProperty("truncated").GetBoolean());
        Assert.Equal(0, none.GetProperty("data").GetArrayLength());
        Assert.True(none.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task TheCallersSqlErrorsHaveTheirOwnCodes()
    {
        var db = await NewTenantAsync();
        await CreateUsersAsync(db);

        await DbClient.ErrorAsync(await db.QueryAsync("SELEKT 1"), HttpStatusCode.BadRequest, ErrorCodes.SqlError);
        await DbClient.ErrorAsync(await db.QueryAsync("SELECT * FROM nothing_here"), HttpStatusCode.NotFound, ErrorCodes.TableNotFound);
        await DbClient.ErrorAsync(await db.QueryAsync("SELECT shoe_size FROM users"), HttpStatusCode.BadRequest, ErrorCodes.ColumnNotFound);
        await DbClient.ErrorAsync(await db.QueryAsync("   -- nothing\n"), HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
        await DbClient.ErrorAsync(await db.QueryAsync(""), HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
    }

    [Fact]
    public async Task ABrokenConstraintIsAConflictTheSdkDoesNotRetry()
    {
        var db = await NewTenantAsync();
        await CreateUsersAsync(db);
        await db.QueryOkAsync("INSERT INTO users (name, email) VALUES ('a', 'same@example.test')");

        using var response = await db.QueryAsync("INSERT INTO users (name, email) VALUES ('b', 'same@example.test')");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Conflict, ErrorCodes.ConstraintViolation);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        Assert.Equal(1, await db.CountAsync("users"));
    }

    [Fact]
    public async Task AnUnknownEnvironmentIsRefusedAndCreatesNothing()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);

        await DbClient.ErrorAsync(await db.QueryAsync("CREATE TABLE t (x)", environment: "qa"), HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);
        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Get, "/db/tables?environment=prod"), HttpStatusCode.BadRequest, ErrorCodes.ParameterInvalid);

        Assert.False(Directory.Exists(DbTestSettings.TenantFolder(Server, tenant)));
    }

    [Fact]
    public async Task BatchIsRefusedAsBulk()
    {
        var db = await NewTenantAsync();
        await CreateUsersAsync(db);

        await DbClient.ErrorAsync(await db.SendAsync(HttpMethod.Post, "/db/batch",
            new { operations = new[] { new { type = "insert", table = "users", data = new { name = "a" } } } }),
            HttpStatusCode.BadRequest, ErrorCodes.BulkNotSupported);

        Assert.Equal(0, await db.CountAsync("users"));
    }

    [Fact]
    public async Task RefusedKeysGetNothingAndCreateNothing()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var (revokedKey, keyId) = await tenant.CreateKeyAsync(Server);
        await tenant.RevokeAsync(Server, keyId);
        var tenantsBefore = TenantFolders();

        using var anonymous = await Http.PostAsync("/db/query",
            new StringContent("""{"query":"CREATE TABLE t (x)"}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(anonymous, HttpStatusCode.Unauthorized, ErrorCodes.MissingApiKey);
        var invented = new DbClient(Http, "wh_live_000000000000000000000000000000_000000");
        await DbClient.ErrorAsync(await invented.QueryAsync("CREATE TABLE t (x)"), HttpStatusCode.Unauthorized, ErrorCodes.InvalidApiKey);
        var revoked = new DbClient(Http, revokedKey);
        await DbClient.ErrorAsync(await revoked.QueryAsync("CREATE TABLE t (x)"), HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyRevoked);
        await DbClient.ErrorAsync(await revoked.SendAsync(HttpMethod.Post, "/db/insert", new { table = "t", data = new { x = 1 } }),
            HttpStatusCode.Unauthorized, ErrorCodes.ApiKeyRevoked);

        Assert.False(Directory.Exists(DbTestSettings.TenantFolder(Server, tenant)));
        Assert.Equal(tenantsBefore, TenantFolders());
    }

    string[] TenantFolders()
    {
        var root = Path.Combine(Server.DataDirectory, "tenants");
        return Directory.Exists(root) ? [.. Directory.GetDirectories(root).Order(StringComparer.Ordinal)] : [];
    }
}
