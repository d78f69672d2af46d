using Hatbox.Features.Db.Postgres;

namespace Hatbox.UnitTests.Db;

/// <summary>Which raw statements may leave dead rows, so that a PostgreSQL tenant near its plan gets the space back.</summary>
public sealed class SpaceReclaimingStatementTests
{
    [Theory]
    [InlineData("DELETE FROM t WHERE id < 10")]
    [InlineData("  delete from t")]
    [InlineData("/* why */ UPDATE t SET a = 1")]
    [InlineData("-- note\nupdate t set a = 1")]
    [InlineData("WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone")]
    public void DeletesAndUpdatesMayFreeSpace(string sql) => Assert.True(SpaceReclaimingTenantDatabase.MayFree(sql));

    [Theory]
    [InlineData("INSERT INTO t VALUES ('DELETE')")]
    [InlineData("SELECT * FROM t")]
    [InlineData("CREATE TABLE t (id int)")]
    [InlineData("'DELETE FROM t'")]
    [InlineData("")]
    public void InsertsReadsAndDdlDoNot(string sql) => Assert.False(SpaceReclaimingTenantDatabase.MayFree(sql));
}
