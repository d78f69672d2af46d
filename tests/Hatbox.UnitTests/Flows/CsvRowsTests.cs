using Hatbox.Features.Flows.Steps;

namespace Hatbox.UnitTests.Flows;

public sealed class CsvRowsTests
{
    [Fact]
    public void QuotedFieldsKeepCommasQuotesAndNewlines()
    {
        var rows = CsvRows.Parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",2\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal("x, y", rows[0]!["a"]!.GetValue<string>());
        Assert.Equal("say \"hi\"", rows[0]!["b"]!.GetValue<string>());
        Assert.Equal("multi\nline", rows[1]!["a"]!.GetValue<string>());
    }
}
