using System.Globalization;
using System.Numerics.Tensors;
using Hatbox.Features.Ai.Embeddings;
using Hatbox.Features.Ai.Index;
using Microsoft.Extensions.Options;

namespace Hatbox.UnitTests.Ai;

/// <summary>
/// The approximate (USearch HNSW) index behind <see cref="TableVectors.Nearest"/>: its recall@10
/// against the exact scan on vectors shaped like the real model's, and that it follows every
/// insert, update and delete the exact matrix sees.
/// </summary>
public sealed class ApproximateIndexTests
{
    static readonly string[] Adjectives = ["wireless", "cast iron", "solar", "waterproof", "portable", "stainless", "expandable", "smart", "folding", "electric", "vintage", "children's"];
    static readonly string[] Nouns = ["headphones", "skillet", "lantern", "jacket", "speaker", "knife", "hose", "watch", "tent", "kettle", "drill", "lamp", "bicycle", "novel", "guitar"];
    static readonly string[] Uses = ["for camping", "for the kitchen", "for running at night", "for the garden", "for music lovers", "for a small flat", "for travel", "for winter"];

    /// <summary>
    /// 12,000 vectors: 1,440 real MiniLM embeddings of product-like texts, each repeated with a
    /// little noise (as near-duplicate rows are), and 100 real queries. Searched exactly and
    /// approximately, the approximate top 10 must hold at least 95% of the exact top 10.
    /// </summary>
    [Fact]
    public async Task RecallAtTenAgainstExactSearchIsAtLeastNinetyFivePercent()
    {
        using var generator = new MiniLmEmbeddingGenerator(Options.Create(new EmbeddingOptions()));
        var texts = (from a in Adjectives from n in Nouns from u in Uses select $"name: {a} {n}\ndescription: a {a} {n} {u}\n").ToList();
        var real = await generator.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);
        var random = new Random(18);
        var vectors = new TableVectors(MiniLmModel.Dimensions);
        const int Rows = 12_000;
        for (var i = 0; i < Rows; i++)
            vectors.Set(i.ToString(CultureInfo.InvariantCulture), Noisy(real[i % real.Count].Vector.Span, random, 0.02f));

        vectors.SyncApproximate(aboveRows: 10_000);
        Assert.True(vectors.Approximate);

        var queries = (from n in Nouns from u in Uses.Take(7) select $"something {u} like a {n}").Take(100).ToList();
        var embedded = await generator.GenerateAsync(queries, cancellationToken: TestContext.Current.CancellationToken);
        double found = 0;
        foreach (var query in embedded)
        {
            var exact = vectors.NearestExactly(query.Vector.Span, 10).Select(h => h.Key).ToHashSet();
            var approximate = vectors.Nearest(query.Vector.Span, 10);
            Assert.Equal(10, approximate.Count);
            found += approximate.Count(h => exact.Contains(h.Key));
        }
        var recall = found / (embedded.Count * 10);
        TestContext.Current.SendDiagnosticMessage($"recall@10 over {Rows} vectors, {embedded.Count} queries: {recall:0.000}");
        Assert.InRange(recall, 0.95, 1.0);
    }

    [Fact]
    public void TheApproximateIndexFollowsInsertsUpdatesDeletesAndFilters()
    {
        var random = new Random(5);
        var vectors = new TableVectors(64);
        for (var i = 0; i < 2_000; i++)
            vectors.Set(i.ToString(CultureInfo.InvariantCulture), RandomUnit(random, 64));
        vectors.SyncApproximate(aboveRows: 1_000);
        Assert.True(vectors.Approximate);

        var target = RandomUnit(random, 64);
        vectors.Set("new", target);
        var hit = Assert.Single(vectors.Nearest(target, 1));
        Assert.Equal("new", hit.Key);
        Assert.Equal(1, hit.Score, 4);

        // An update moves the row: found at its new place, not at its old one.
        var elsewhere = RandomUnit(random, 64);
        vectors.SetMany([("new", elsewhere)]);
        Assert.Equal("new", vectors.Nearest(elsewhere, 1)[0].Key);
        Assert.DoesNotContain(vectors.Nearest(target, 10), h => h.Key == "new");

        // A filter that lets almost nothing through still answers what passes (the scan takes over).
        Assert.Equal(["7"], vectors.Nearest(target, 5, key => key == "7").Select(h => h.Key));

        vectors.Remove("new");
        Assert.DoesNotContain(vectors.Nearest(elsewhere, 10), h => h.Key == "new");

        // Scores are exact either way: the graph only proposes candidates.
        var query = RandomUnit(random, 64);
        Assert.Equal(vectors.NearestExactly(query, 1)[0].Score, vectors.Nearest(query, 1)[0].Score);

        // Well below the threshold the graph goes: search is exact again.
        for (var i = 0; i < 1_600; i++)
            vectors.Remove(i.ToString(CultureInfo.InvariantCulture));
        vectors.SyncApproximate(aboveRows: 1_000);
        Assert.False(vectors.Approximate);
        Assert.Equal(0, vectors.ApproximateBytes);
        Assert.Equal(10, vectors.Nearest(query, 10).Count);
    }

    [Fact]
    public void NoThresholdMeansNoGraph()
    {
        var vectors = new TableVectors(8);
        for (var i = 0; i < 100; i++)
            vectors.Set(i.ToString(CultureInfo.InvariantCulture), RandomUnit(new Random(i), 8));

        vectors.SyncApproximate(aboveRows: 0);
        Assert.False(vectors.Approximate);
        vectors.SyncApproximate(aboveRows: 101);
        Assert.False(vectors.Approximate);
        vectors.SyncApproximate(aboveRows: 100);
        Assert.True(vectors.Approximate);
        vectors.Drop();
        Assert.False(vectors.Approximate);
    }

    internal static float[] RandomUnit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var d = 0; d < dimensions; d++)
            vector[d] = (float)(random.NextDouble() - 0.5);
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    static float[] Noisy(ReadOnlySpan<float> vector, Random random, float noise)
    {
        var noisy = vector.ToArray();
        for (var d = 0; d < noisy.Length; d++)
            noisy[d] += (float)(random.NextDouble() - 0.5) * 2 * noise;
        TensorPrimitives.Divide(noisy, TensorPrimitives.Norm(noisy), noisy);
        return noisy;
    }
}

/// <summary>
/// What resident vectors cost on the managed heap, keys and slack included. Alone in its
/// collection, run after every parallel test, so no other test's allocations are counted.
/// </summary>
[Collection(nameof(VectorMemoryTests))]
[CollectionDefinition(nameof(VectorMemoryTests), DisableParallelization = true)]
public sealed class VectorMemoryTests
{
    [Theory]
    [InlineData(20_000, false)]
    [InlineData(20_000, true)]
    public void ResidentVectorsCostAtMostAQuarterMoreThanTheirRawSize(int rows, bool loadedFromDisk)
    {
        var random = new Random(3);
        var sources = Enumerable.Range(0, 64).Select(_ => ApproximateIndexTests.RandomUnit(random, 384)).ToArray();
        var keys = Enumerable.Range(0, rows).Select(i => (i + 100_000).ToString(CultureInfo.InvariantCulture)).ToArray();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var vectors = new TableVectors(384);
        if (loadedFromDisk)
            vectors.Reserve(rows);
        for (var i = 0; i < rows; i++)
            vectors.Set(keys[i], sources[i % sources.Length]);

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var raw = (long)rows * 384 * sizeof(float);
        // The key strings existed before; what is counted is the matrix, the slots and the key list.
        Assert.InRange(after - before, raw, raw * 5 / 4);
        GC.KeepAlive(vectors);
        GC.KeepAlive(keys);
    }
}
