using Hatbox.Features.Ai.Index;

namespace Hatbox.UnitTests.Ai;

/// <summary>The in-process BM25 of the PostgreSQL index store: rare terms outweigh common ones, as FTS5's does.</summary>
public sealed class Bm25Tests
{
    static Dictionary<string, int> Counts(params (string Term, int Count)[] counts) => counts.ToDictionary(c => c.Term, c => c.Count, StringComparer.Ordinal);

    [Fact]
    public void ARowWithTheOnlyCopyOfARareTokenOutranksRowsSharingACommonWord()
    {
        // Query "kt 4474 kettle": ten kettles, one of which carries the SKU.
        var matches = Enumerable.Range(1, 10)
            .Select(i => ($"k{i}", Counts(("kettle", 1)), 4))
            .Append(("sku", Counts(("kt", 1), ("4474", 1)), 6))
            .ToList();
        var scores = Bm25.Score(matches, documents: 50, averageLength: 5, limit: 100);
        Assert.Equal("sku", scores.MaxBy(s => s.Value).Key);
        Assert.Equal(11, scores.Count);
    }

    [Fact]
    public void TheLimitKeepsTheBestAndNoMatchScoresNothing()
    {
        var matches = new List<(string, Dictionary<string, int>, int)>
        {
            ("a", Counts(("x", 3)), 5), ("b", Counts(("x", 1)), 5), ("c", Counts(), 5),
        };
        var scores = Bm25.Score(matches, documents: 10, averageLength: 5, limit: 1);
        Assert.Equal(["a"], scores.Keys.ToArray());
        Assert.Empty(Bm25.Score([], 10, 5, 10));
    }
}
