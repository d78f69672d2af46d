using Hatbox.Common.Errors;
using Hatbox.Features.Db;
using Hatbox.Features.Db.Postgres;

namespace Hatbox.UnitTests.Db;

public sealed class PostgresStatementTextTests
{
    static readonly DbOptions Options = new();

    [Theory]
    [InlineData("DROP TABLE t")]
    [InlineData("drop table if exists t")]
    [InlineData("DROP INDEX t_name")]
    [InlineData("DROP VIEW v")]
    [InlineData("ALTER TABLE t DROP COLUMN name")]
    [InlineData("ALTER TABLE t DROP name")]
    [InlineData("ALTER TABLE t DROP \"name\"")]
    [InlineData("ALTER TABLE t DROP /* sneaky */ COLUMN IF EXISTS name CASCADE")]
    [InlineData("ALTER TABLE t ADD COLUMN a int, DROP COLUMN b")]
    public void DroppingWhatHoldsDataIsRefusedAsOnSqlite(string sql)
    {
        var prepared = PostgresStatementText.Prepare(sql, SqlParameters.None, Options);

        Assert.Equal(ErrorCodes.QueryNotAllowed, prepared.Error?.Code);
    }

    [Theory]
    [InlineData("ALTER TABLE t ALTER COLUMN name DROP DEFAULT")]
    [InlineData("ALTER TABLE t ALTER COLUMN name DROP NOT NULL")]
    [InlineData("ALTER TABLE t DROP CONSTRAINT t_name_key")]
    [InlineData("ALTER TABLE t ALTER COLUMN id DROP IDENTITY IF EXISTS")]
    [InlineData("ALTER TABLE t ADD COLUMN dropped boolean DEFAULT false")]
    [InlineData("SELECT 'DROP TABLE t'")]
    public void AlterationsThatKeepEveryRowAndValueRun(string sql)
    {
        var prepared = PostgresStatementText.Prepare(sql, SqlParameters.None, Options);

        Assert.True(prepared.Succeeded, prepared.Error?.Message);
    }
}
