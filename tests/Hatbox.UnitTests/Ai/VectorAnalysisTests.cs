using System.Numerics.Tensors;
using Hatbox.Features.Ai;
using Hatbox.Features.Ai.Analysis;
using Hatbox.Features.Ai.Index;

namespace Hatbox.UnitTests.Ai;

/// <summary>The index's and the analyses' arithmetic on vectors whose right answers are known by construction.</summary>
public sealed class VectorAnalysisTests
{
    const int Dimensions = 8;

    /// <summary>Points scattered tightly around <paramref name="centres"/> axes, unit length.</summary>
    static float[] Blobs(int perCentre, int[] centres, int seed = 1)
    {
        var random = new Random(seed);
        var matrix = new float[perCentre * centres.Length * Dimensions];
        for (var c = 0; c < centres.Length; c++)
        {
            for (var p = 0; p < perCentre; p++)
            {
                var row = matrix.AsSpan(((c * perCentre) + p) * Dimensions, Dimensions);
                for (var d = 0; d < Dimensions; d++)
                    row[d] = (float)(random.NextDouble() * 0.1);
                row[centres[c]] += 1;
                TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
            }
        }
        return matrix;
    }

    [Fact]
    public void KMeansPutsEachBlobInOneCluster()
    {
        var matrix = Blobs(10, [0, 3, 6]);
        var result = KMeans.Run(matrix, Dimensions, 3);

        for (var blob = 0; blob < 3; blob++)
            Assert.Single(result.Assignments.Skip(blob * 10).Take(10).Distinct());
        Assert.Equal(3, result.Assignments.Distinct().Count());
    }

    [Fact]
    public void SilhouettePrefersTheTrueNumberOfClusters()
    {
        var matrix = Blobs(10, [0, 3, 6]);
        var scores = Enumerable.Range(2, 4).ToDictionary(k => k, k => Silhouette.Score(matrix, Dimensions, KMeans.Run(matrix, Dimensions, k).Assignments, k));

        Assert.Equal(3, scores.MaxBy(s => s.Value).Key);
        Assert.InRange(scores[3], 0.5, 1);
    }

    [Fact]
    public void AnIsolatedPointScoresOneAndTheCrowdScoresLow()
    {
        var crowd = Blobs(12, [0]);
        var outlier = Blobs(1, [5], seed: 9);
        var matrix = crowd.Concat(outlier).ToArray();

        var scores = NearestNeighbors.Score(matrix, Dimensions, k: 3);

        Assert.Equal(12, scores.MaxBy(s => s.Score)!.Index);
        Assert.Equal(1, scores[12].Score, 6);
        Assert.All(scores.Take(12), s => Assert.True(s.Score < 0.2));
        Assert.Equal(3, scores[0].Neighbors.Length);
    }

    [Fact]
    public void MaximalMarginalRelevanceSkipsNearDuplicates()
    {
        float[] a = [1, 0], aAgain = [0.999f, 0.0447f], b = [0, 1];
        var picked = MaximalMarginalRelevance.Select([(a, 0.9), (aAgain, 0.89), (b, 0.5)], limit: 2);

        Assert.Equal([0, 2], picked.Select(p => p.Index));
    }

    [Fact]
    public void TableVectorsFindsTheNearestAndStaysDenseAfterRemovals()
    {
        var vectors = new TableVectors(2);
        vectors.Set("a", [1, 0]);
        vectors.Set("b", [0, 1]);
        vectors.Set("c", [0.8f, 0.6f]);
        vectors.Remove("a");
        vectors.Set("b", [0.6f, 0.8f]);

        var nearest = vectors.Nearest([1, 0], 2);

        Assert.Equal(2, vectors.Count);
        Assert.Equal(["c", "b"], nearest.Select(n => n.Key));
        Assert.Null(vectors.Get("a"));
        Assert.Equal([], vectors.Nearest([1, 0], 5, key => key == "zzz"));
    }

    [Fact]
    public void TableVectorsCostAtMostAQuarterMoreThanTheirRawSize()
    {
        var vectors = new TableVectors(384);
        for (var i = 0; i < 10_000; i++)
            vectors.Set(i.ToString(System.Globalization.CultureInfo.InvariantCulture), new float[384]);

        Assert.InRange(vectors.ResidentBytes, 10_000L * 384 * 4, 10_000L * 384 * 4 * 5 / 4);
    }

    [Theory]
    [InlineData("KT-4474-B", "\"KT\" OR \"4474\" OR \"B\"")]
    [InlineData("name:* OR \"x\" NEAR(a b)", "\"name\" OR \"OR\" OR \"x\" OR \"NEAR\" OR \"a\" OR \"b\"")]
    [InlineData("---", null)]
    public void KeywordQueriesAreQuotedTokensSoNoFtsSyntaxIsInterpreted(string query, string? expected) =>
        Assert.Equal(expected, AiSearchEndpoints.FtsQuery(query));

    [Fact]
    public void ClusterLabelsNameWhatSetsAClusterApart()
    {
        string[] texts = ["name: red apple pie", "name: apple crumble", "name: blue denim jeans", "name: denim jacket"];
        var labels = ClusterLabels.Label(texts, [0, 0, 1, 1], 2, ["name"]);

        Assert.StartsWith("apple", labels[0], StringComparison.Ordinal);
        Assert.StartsWith("denim", labels[1], StringComparison.Ordinal);
    }
}

