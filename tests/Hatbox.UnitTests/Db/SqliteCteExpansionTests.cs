using Hatbox.Features.Db.Sqlite;
using System.Diagnostics;
using Hatbox.Features.Db;

namespace Hatbox.UnitTests.Db;

/// <summary>
/// The size check in front of prepare: ordinary WITH clauses pass, every spelling of a CTE that
/// multiplies itself is caught, and what passes prepares quickly on the real engine.
/// </summary>
public sealed class SqliteCteExpansionTests
{
    /// <summary>CTE c0…c{depth}, each naming the one before <paramref name="uses"/> times in its FROM.</summary>
    static string Chain(int depth, int uses = 4, Func<int, string>? name = null, string materialized = "")
    {
        name ??= i => $"c{i}";
        var ctes = Enumerable.Range(1, depth).Select(i =>
            $"{name(i)}(x) AS {materialized} (SELECT 1 FROM {string.Join(", ", Enumerable.Range(0, uses).Select(u => $"{name(i - 1)} t{u}"))})");
        return $"WITH {name(0)}(x) AS (SELECT 1), {string.Join(", ", ctes)} SELECT count(*) FROM {name(depth)}";
    }

    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("SELECT a.x, b.y FROM a JOIN b ON a.id = b.a_id WHERE a.x > 1")]
    [InlineData("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT n.i + 1 FROM n WHERE n.i < 10) SELECT i FROM n")]
    // A column named like a CTE makes the names look circular; the estimate stays small all the same.
    [InlineData("WITH totals AS (SELECT sum(x) AS total FROM t), total AS (SELECT totals.total FROM totals) SELECT total FROM total")]
    [InlineData("SELECT x, sum(x) OVER w FROM t WINDOW w AS (ORDER BY x)")]
    [InlineData("WITH a AS (SELECT 1 AS x) SELECT * FROM a, a AS b, a AS c, a AS d")]
    [InlineData("SELECT (1")]
    [InlineData("WITH a AS (SELECT 1) SELECT * FROM a, (SELECT 1")]
    public void OrdinaryStatementsStaySmall(string sql)
    {
        Assert.InRange(SqliteCteExpansion.CopiedTokens(sql), 0, 100);
    }

    [Fact]
    public void ALongPipelineOfCtesIsCountedOnceEach()
    {
        var steps = Enumerable.Range(1, 30).Select(i => $"s{i} AS (SELECT s{i - 1}.x + 1 AS x FROM s{i - 1} WHERE s{i - 1}.x < 100)");
        var sql = $"WITH s0 AS (SELECT 1 AS x), {string.Join(", ", steps)} SELECT x FROM s30";

        Assert.Equal(0, SqliteCteExpansion.CopiedTokens(sql));
    }

    public static TheoryData<string> Bombs() => new()
    {
        Chain(9),
        Chain(9, materialized: "NOT MATERIALIZED"),
        Chain(12, uses: 3),
        Chain(9, name: i => $"\"c {i}\""),
        Chain(9, name: i => $"[C{i}]"),
        Chain(9, name: i => i % 2 == 0 ? $"`c{i}`" : $"C{i}"),
        Chain(9).Replace(", ", " /* ; */ ,\n", StringComparison.Ordinal),
        // The same two names, redefined at every level of nesting: each resolves to the one outside.
        string.Concat(Enumerable.Range(1, 9).Select(i =>
            $"SELECT * FROM (WITH {(i % 2 == 0 ? "a" : "b")} AS (SELECT 1 FROM {(i % 2 == 0 ? "b" : "a")} w, {(i % 2 == 0 ? "b" : "a")} x, {(i % 2 == 0 ? "b" : "a")} y, {(i % 2 == 0 ? "b" : "a")} z) "))
            .Insert(0, "WITH a AS (SELECT 1) ") + "SELECT 1 FROM b" + new string(')', 9),
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public void CtesThatMultiplyThemselvesAreTooLarge(string sql)
    {
        var clock = Stopwatch.StartNew();

        Assert.True(SqliteCteExpansion.IsTooLarge(sql));

        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(200), $"estimating took {clock.Elapsed}");
    }

    [Fact]
    public void TheBiggestChainThatPassesPreparesQuickly()
    {
        var depth = Enumerable.Range(1, 12).Last(d => !SqliteCteExpansion.IsTooLarge(Chain(d)));
        using var folder = new TemporaryFolder();
        using var connection = SqliteTenantConnection.Open(Path.Combine(folder.Path, "production.db"), SqliteConnectionKind.Writer, new DbOptions());
        var clock = Stopwatch.StartNew();

        using (connection.StartDeadline(TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            SqliteStatement.Prepare(connection, Chain(depth), DbEnvironment.Production, new DbOptions()).Value?.Dispose();
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"preparing {depth} levels took {clock.Elapsed}");
    }

    sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hatbox-cte-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
