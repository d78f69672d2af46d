using System.Diagnostics;
using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

// A 3-second limit: long enough that the statements beside the endless one finish while it still runs even on
// two busy shared cores, which is what these tests assert (not a sub-second wall-clock bound that load can break).
public sealed class DbTimeoutTests() : ServerTest(DbTestSettings.With(("Db:QueryTimeoutMilliseconds", "3000")))
{
    const string Endless = "WITH RECURSIVE forever(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM forever) SELECT count(*) FROM forever";

    async Task<DbClient> NewTenantAsync()
    {
        var db = new DbClient(Http, (await TestTenant.CreateAsync(Server)).ApiKey);
        await db.QueryOkAsync("CREATE TABLE t (x INTEGER)");
        await db.QueryOkAsync("INSERT INTO t (x) VALUES (1)");
        return db;
    }

    [Fact]
    public async Task AnEndlessQueryIsStoppedAtItsLimitWhileOtherRequestsAreServed()
    {
        var slow = await NewTenantAsync();
        var other = await NewTenantAsync();
        var clock = Stopwatch.StartNew();

        var endless = slow.QueryAsync(Endless);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        var sameTenant = Stopwatch.StartNew();
        Assert.Single(await slow.RowsAsync("SELECT x FROM t"));
        var sameTenantTime = sameTenant.Elapsed;
        var otherTenant = Stopwatch.StartNew();
        await other.QueryOkAsync("INSERT INTO t (x) VALUES (2)");
        Assert.Equal(2, await other.CountAsync("t"));
        var otherTenantTime = otherTenant.Elapsed;
        Assert.False(endless.IsCompleted);

        using var response = await endless;
        var stoppedAfter = clock.Elapsed;

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.UnprocessableEntity, ErrorCodes.QueryTimeout);
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        Assert.InRange(stoppedAfter, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(10));
        // Both finished before the endless query was stopped (asserted above), so neither waited for it.
        Assert.True(sameTenantTime < stoppedAfter, $"a read beside the endless query took {sameTenantTime}");
        Assert.True(otherTenantTime < stoppedAfter, $"another tenant's write and read took {otherTenantTime}");
    }

    [Fact]
    public async Task AnEndlessWriteIsStoppedRolledBackAndReadersWereNotBlocked()
    {
        var db = await NewTenantAsync();

        // A write statement that computes forever: it holds the database's write lock all along.
        var endless = db.QueryAsync("INSERT INTO t (x) WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) SELECT count(*) FROM forever");
        await Task.Delay(200, TestContext.Current.CancellationToken);
        var reader = Stopwatch.StartNew();
        Assert.Equal(1, await db.CountAsync("t"));
        var readTime = reader.Elapsed;
        Assert.False(endless.IsCompleted);
        using var response = await endless;

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.UnprocessableEntity, ErrorCodes.QueryTimeout);
        Assert.Equal(1, await db.CountAsync("t"));
        await db.QueryOkAsync("INSERT INTO t (x) VALUES (3)");
        Assert.Equal(2, await db.CountAsync("t"));
    }
}
