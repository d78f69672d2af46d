using Hatbox.Common;

namespace Hatbox.UnitTests;

public sealed class IdsTests
{
    [Fact]
    public void NewIdsCarryTheirPrefixAndAreUnique()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.New("req")).ToHashSet();

        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.Matches("^req_[0-9A-Za-z]{24}$", id));
    }
}
