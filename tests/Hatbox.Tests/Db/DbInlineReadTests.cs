using System.Diagnostics;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

/// <summary>
/// Issue 17 (performance): a read first runs inline on the request thread, held to a 5 ms budget,
/// and one that needs longer is run again on the SQL threads with the full timeout. A read far
/// past the inline budget must still answer its whole, correct result.
/// </summary>
public sealed class DbInlineReadTests
{
    const string Count = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000000) SELECT count(*) AS c, sum(x) AS s FROM n";

    [Fact]
    public async Task AReadLongerThanTheInlineBudgetAnswersItsWholeResult()
    {
        await using var server = await TestServer.StartAsync(DbTestSettings.With(("Db:QueryTimeoutMilliseconds", "60000")));
        using var http = server.CreateClient();
        var db = new DbClient(http, (await TestTenant.CreateAsync(server)).ApiKey);

        var clock = Stopwatch.StartNew();
        var rows = await db.RowsAsync(Count);
        // Far past 5 ms even on a fast machine, so it was stopped inline and run again.
        Assert.True(clock.Elapsed > TimeSpan.FromMilliseconds(20), $"took {clock.Elapsed.TotalMilliseconds} ms");
        Assert.Equal(2_000_000, rows.Single().GetProperty("c").GetInt64());
        Assert.Equal(2_000_001_000_000, rows.Single().GetProperty("s").GetInt64());
    }
}
