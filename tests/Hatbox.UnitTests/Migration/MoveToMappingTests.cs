using Hatbox.Features.Migration;

namespace Hatbox.UnitTests.Migration;

/// <summary>How <c>move-to</c> types SQLite columns for PostgreSQL, and that its table checksum ignores row order but not values.</summary>
public sealed class MoveToMappingTests
{
    [Theory]
    [InlineData("INTEGER", "integer", "bigint")]
    [InlineData("VARCHAR(20)", "text", "text")]
    [InlineData("DOUBLE", "real,integer", "double precision")]
    [InlineData("BLOB", "", "bytea")]
    [InlineData("DECIMAL(10,2)", "integer,real", "numeric")]
    [InlineData("DATETIME", "text", "text")]
    [InlineData("", "integer,real", "double precision")]
    [InlineData("", "", "text")]
    public void ADeclaredTypeAndTheValuesHeldPickOnePostgresType(string declared, string held, string expected)
    {
        var type = TenantColumnType.For(declared, Classes(held), onlyZeroOrOne: false, out var problem);
        Assert.Null(problem);
        Assert.Equal(expected, type!.Sql);
    }

    [Theory]
    [InlineData("INTEGER", "integer,real", false)]
    [InlineData("TEXT", "blob", false)]
    [InlineData("", "integer,text", false)]
    [InlineData("BOOLEAN", "integer", false)]
    public void AColumnWhoseValuesDoNotShareOneTypeIsRefused(string declared, string held, bool zeroOrOne)
    {
        Assert.Null(TenantColumnType.For(declared, Classes(held), zeroOrOne, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void BooleansAreBooleansOnlyWhenEveryValueIsZeroOrOne()
    {
        Assert.Equal("boolean", TenantColumnType.For("BOOLEAN", Classes("integer"), onlyZeroOrOne: true, out _)!.Sql);
        Assert.Equal(true, TenantColumnType.Boolean.Convert(1L));
        Assert.Equal(2.0, TenantColumnType.Double.Convert(2L));
        Assert.Null(TenantColumnType.Text.Convert(DBNull.Value));
    }

    [Fact]
    public void TheChecksumIgnoresRowOrderButSeesEveryValue()
    {
        object?[][] rows = [[1L, "a", null], [2L, "ü", new byte[] { 0, 255 }], [3L, 0.1, DateTimeOffset.UnixEpoch]];
        Assert.Equal(Sum(rows), Sum([.. rows.Reverse()]));
        Assert.NotEqual(Sum(rows), Sum([rows[0], rows[1], [3L, 0.1000001, DateTimeOffset.UnixEpoch]]));
        Assert.NotEqual(Sum(rows), Sum([rows[0], rows[1]]));
        // A NULL is not an empty string, and values do not run into each other across columns.
        Assert.NotEqual(Sum([[null, "x"]]), Sum([["", "x"]]));
        Assert.NotEqual(Sum([["ab", "c"]]), Sum([["a", "bc"]]));
        // Instants compare at PostgreSQL's microseconds, whatever the offset SQLite kept.
        var instant = new DateTimeOffset(2026, 12, 3, 15, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);
        Assert.Equal(Sum([[instant]]), Sum([[instant.ToUniversalTime().AddTicks(-7)]]));
    }

    static string Sum(object?[][] rows)
    {
        var sum = new RowChecksum();
        foreach (var row in rows)
        {
            foreach (var value in row)
            {
                sum.Add(value);
            }
            sum.EndRow();
        }
        return sum.Hex();
    }

    static HashSet<string> Classes(string held) => [.. held.Split(',', StringSplitOptions.RemoveEmptyEntries)];
}
