using Hatbox.Features.Db.Sqlite;

namespace Hatbox.UnitTests.Db;

public sealed class SqliteStatementTextTests
{
    [Theory]
    [InlineData("SELECT {a}", "SELECT :a")]
    [InlineData("SELECT {a_1},{B}", "SELECT :a_1,:B")]
    [InlineData("SELECT '{a}', \"{a}\", `{a}`, [{a}]", "SELECT '{a}', \"{a}\", `{a}`, [{a}]")]
    [InlineData("SELECT 'it''s {a}' -- {a}\n/* {a} */ , {a}", "SELECT 'it''s {a}' -- {a}\n/* {a} */ , :a")]
    [InlineData("SELECT {1a}, { a }, {a", "SELECT {1a}, { a }, {a")]
    [InlineData("SELECT 'unterminated {a}", "SELECT 'unterminated {a}")]
    [InlineData("SELECT $1, :n, @n", "SELECT $1, :n, @n")]
    public void OnlyBracesOutsideLiteralsAndCommentsBecomeParameters(string sql, string expected)
    {
        Assert.Equal(expected, SqliteStatementText.Rewrite(sql));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(" ; ;\n", true)]
    [InlineData("-- done\n/* really */ ;", true)]
    [InlineData(" SELECT 2", false)]
    [InlineData("; DELETE FROM t", false)]
    [InlineData("/* unclosed", true)]
    public void OnlyBlanksCommentsAndSemicolonsAreABlankTail(string tail, bool blank)
    {
        Assert.Equal(blank, SqliteStatementText.IsBlank(tail));
    }

    [Theory]
    [InlineData("DELETE FROM t", true)]
    [InlineData("delete from t -- where x = 1", true)]
    [InlineData("DELETE FROM t WHERE x = 1", false)]
    [InlineData("UPDATE t SET a = (SELECT b FROM u WHERE u.id = 1)", true)]
    [InlineData("UPDATE t SET a = 'WHERE'", true)]
    [InlineData("UPDATE t SET a = 1 WHERE id = 2", false)]
    [InlineData("WITH x AS (SELECT 1 WHERE 1) DELETE FROM t", true)]
    [InlineData("WITH RECURSIVE x(n) AS (SELECT 1) UPDATE t SET a = 1 WHERE a IN (SELECT n FROM x)", false)]
    [InlineData("INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 2", false)]
    [InlineData("SELECT * FROM t", false)]
    [InlineData("EXPLAIN DELETE FROM t", false)]
    [InlineData("\"DELETE\"", false)]
    [InlineData("; ;DELETE FROM t", true)]
    [InlineData("DELETE FROM t\0 WHERE 1", true)]
    public void AnUnboundedUpdateOrDeleteIsRecognised(string sql, bool unbounded)
    {
        Assert.Equal(unbounded, SqliteStatementText.Shape(sql).IsUnboundedChange);
    }
}
