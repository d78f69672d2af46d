using System.Diagnostics;
using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

/// <summary>
/// Statements that try to exhaust memory or CPU where SQLite's deadline cannot reach: each gets a
/// clear 4xx with its own code, stores nothing, and leaves the server answering.
/// </summary>
public sealed class DbResourceLimitTests() : ServerTest(DbTestSettings.With())
{
    /// <summary>A hundred rows, for aggregates that build one big value out of many small ones.</summary>
    const string HundredRows = "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 100) SELECT i FROM n)";

    async Task<DbClient> NewTenantWithARowAsync()
    {
        var db = new DbClient(Http, (await TestTenant.CreateAsync(Server)).ApiKey);
        await db.QueryOkAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, v)");
        await db.QueryOkAsync("INSERT INTO t (v) VALUES ('kept')");
        return db;
    }

    static async Task AssertOnlyTheFirstRowAsync(DbClient db) =>
        Assert.Equal("kept", Assert.Single(await db.RowsAsync("SELECT v FROM t")).GetProperty("v").GetString());

    /// <summary>Each builds a value past SQLITE_LIMIT_LENGTH (16 MiB by default), which SQLite refuses before allocating it.</summary>
    [Theory]
    [InlineData("zeroblob(2000000000)")]
    [InlineData("randomblob(2000000000)")]
    [InlineData("printf('%.*c', 1000000000, 'x')")]
    [InlineData("printf('%2000000000d', 1)")]
    [InlineData("replace(hex(zeroblob(8000000)), '0', '00000')")]
    [InlineData("(SELECT group_concat(hex(zeroblob(1000000))) FROM " + HundredRows + ")")]
    [InlineData("(SELECT json_group_array(hex(zeroblob(1000000))) FROM " + HundredRows + ")")]
    public async Task AValuePastTheLengthLimitIsRefusedAndNothingIsStored(string hugeValue)
    {
        var db = await NewTenantWithARowAsync();

        await DbClient.ErrorAsync(await db.QueryAsync($"SELECT length({hugeValue}) AS n"), HttpStatusCode.BadRequest, ErrorCodes.SqlError);
        await DbClient.ErrorAsync(await db.QueryAsync($"INSERT INTO t (v) SELECT {hugeValue}"), HttpStatusCode.BadRequest, ErrorCodes.SqlError);

        await AssertOnlyTheFirstRowAsync(db);
    }

    [Fact]
    public async Task AStatementNeedingMoreMemoryThanSqliteMayHaveIsStoppedAndStoresNothing()
    {
        var db = await NewTenantWithARowAsync();
        // 90 values of 16 MB, each within the length limit, held at once: 1.4 GB past the 1 GiB heap limit.
        var values = string.Join(", ", Enumerable.Range(0, 90).Select(i => $"zeroblob(16000000) || '{i}'"));

        using var response = await db.QueryAsync($"INSERT INTO t (v) SELECT length(max({values}))");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.UnprocessableEntity, ErrorCodes.QueryMemoryExceeded);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        await AssertOnlyTheFirstRowAsync(db);
        await db.QueryOkAsync("INSERT INTO t (v) VALUES (length(zeroblob(16000000) || 'fits'))");
        Assert.Equal(2, await db.CountAsync("t"));
    }

    /// <summary>
    /// Nine CTEs that each name the one before four times: 4^9 copies, which SQLite makes inside
    /// prepare, where no deadline reaches (about 45 s here before it gives up on its own).
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("NOT MATERIALIZED")]
    public async Task CtesThatWouldBeCopiedIntoAHugeStatementAreRefusedAtOnce(string materialized)
    {
        var db = await NewTenantWithARowAsync();
        var ctes = Enumerable.Range(1, 9).Select(i => $"c{i}(x) AS {materialized} (SELECT 1 FROM c{i - 1} a, c{i - 1} b, c{i - 1} c, c{i - 1} d)");
        var bomb = $"WITH c0(x) AS (SELECT 1), {string.Join(", ", ctes)} INSERT INTO t (v) SELECT count(*) FROM c9";
        var clock = Stopwatch.StartNew();

        await DbClient.ErrorAsync(await db.QueryAsync(bomb), HttpStatusCode.BadRequest, ErrorCodes.QueryTooComplex);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"refusing took {clock.Elapsed}");
        await AssertOnlyTheFirstRowAsync(db);
        Assert.Equal(4, (await db.RowsAsync(
            "WITH one AS (SELECT 1 AS x), two AS (SELECT x FROM one UNION ALL SELECT x FROM one) SELECT a.x FROM two a, two b"))
            .Length);
    }

    [Fact]
    public async Task ADeleteCascadesThroughEveryLevelOfForeignKeys()
    {
        var db = new DbClient(Http, (await TestTenant.CreateAsync(Server)).ApiKey);
        await db.QueryOkAsync("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        await db.QueryOkAsync("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE)");
        await db.QueryOkAsync("CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders (id) ON DELETE CASCADE)");
        await db.QueryOkAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY, line_id INTEGER REFERENCES lines (id) ON DELETE CASCADE)");
        await db.QueryOkAsync("INSERT INTO customers (id) VALUES (1), (2)");
        await db.QueryOkAsync("INSERT INTO orders (id, customer_id) VALUES (1, 1), (2, 2)");
        await db.QueryOkAsync("INSERT INTO lines (id, order_id) VALUES (1, 1), (2, 2)");
        await db.QueryOkAsync("INSERT INTO notes (id, line_id) VALUES (1, 1), (2, 2)");

        await db.QueryOkAsync("DELETE FROM customers WHERE id = 1");

        foreach (var table in new[] { "customers", "orders", "lines", "notes" })
        {
            Assert.Equal(2L, Assert.Single(await db.RowsAsync($"SELECT id FROM {table}")).GetProperty("id").GetInt64());
        }
    }

    [Fact]
    public async Task ACascadeDeeperThanTheTriggerDepthIsRefusedAndDeletesNothing()
    {
        var db = new DbClient(Http, (await TestTenant.CreateAsync(Server)).ApiKey);
        await db.QueryOkAsync("CREATE TABLE tree (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES tree (id) ON DELETE CASCADE)");
        await db.QueryOkAsync("INSERT INTO tree WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 30) SELECT i, nullif(i - 1, 0) FROM n");

        await DbClient.ErrorAsync(await db.QueryAsync("DELETE FROM tree WHERE id = 1"), HttpStatusCode.BadRequest, ErrorCodes.SqlError);

        Assert.Equal(30, await db.CountAsync("tree"));
        await db.QueryOkAsync("DELETE FROM tree WHERE id = 25");
        Assert.Equal(24, await db.CountAsync("tree"));
    }
}
