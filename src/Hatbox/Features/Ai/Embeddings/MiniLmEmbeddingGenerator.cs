using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Hatbox.Features.Ai.Embeddings;

/// <summary>
/// Sentence embeddings on this machine's CPU: WordPiece tokens through all-MiniLM-L6-v2, the
/// token vectors averaged over the attention mask and scaled to unit length, exactly what
/// sentence-transformers does for this model, so cosine similarity is a dot product.
/// </summary>
internal sealed class MiniLmEmbeddingGenerator(IOptions<EmbeddingOptions> options) : IEmbeddingGenerator<string, Embedding<float>>
{
    readonly EmbeddingOptions _options = options.Value;
    readonly Lazy<MiniLmModel> _model = new(() => MiniLmModel.Load(options.Value.Threads), LazyThreadSafetyMode.ExecutionAndPublication);
    readonly EmbeddingGeneratorMetadata _metadata = new("hatbox-local", null, MiniLmModel.ModelId, MiniLmModel.Dimensions);

    /// <summary>Whether the model has been read yet; start-up never reads it.</summary>
    public bool IsLoaded => _model.IsValueCreated;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? generationOptions = null, CancellationToken cancellationToken = default)
    {
        var model = _model.Value;
        var tokenized = values.Select(text => Tokenize(model, text)).ToArray();
        var vectors = new float[tokenized.Length][];

        // Batches of similar length waste less work on padding.
        var order = Enumerable.Range(0, tokenized.Length).OrderBy(i => tokenized[i].Length).ToArray();
        for (var start = 0; start < order.Length; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start)).ToArray();
            var embedded = Run(model, batch.Select(i => tokenized[i]).ToArray());
            for (var j = 0; j < batch.Length; j++)
                vectors[batch[j]] = embedded[j];
        }

        var created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(
            vectors.Select(v => new Embedding<float>(v) { ModelId = MiniLmModel.ModelId, CreatedAt = created }));
        return Task.FromResult(result);
    }

    int[] Tokenize(MiniLmModel model, string text) =>
        [.. model.Tokenizer.EncodeToIds(AccentFolding.Fold(text), _options.MaxTokens, addSpecialTokens: true, out _, out _)];

    static float[][] Run(MiniLmModel model, int[][] batch)
    {
        var rows = batch.Length;
        var width = batch.Max(tokens => tokens.Length);
        var ids = new long[rows * width];
        var mask = new long[rows * width];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < batch[r].Length; c++)
            {
                ids[r * width + c] = batch[r][c];
                mask[r * width + c] = 1;
            }
            for (var c = batch[r].Length; c < width; c++)
                ids[r * width + c] = model.Tokenizer.PaddingTokenId;
        }

        long[] shape = [rows, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[rows * width], shape);
        var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = idsValue, ["attention_mask"] = maskValue };
        if (model.TakesTokenTypes)
            inputs["token_type_ids"] = typesValue;

        using var runOptions = new RunOptions();
        var outputName = model.Session.OutputNames.Contains("last_hidden_state") ? "last_hidden_state" : model.Session.OutputNames[0];
        using var outputs = model.Session.Run(runOptions, inputs, [outputName]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var dimensions = hidden.Length / (rows * width);

        var vectors = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            var vector = new float[dimensions];
            for (var c = 0; c < batch[r].Length; c++)
                TensorPrimitives.Add(vector, hidden.Slice((r * width + c) * dimensions, dimensions), vector);
            // Mean over the real tokens, then unit length; the division cancels in the
            // normalisation, but is kept so the vector matches the reference before scaling too.
            TensorPrimitives.Divide(vector, batch[r].Length, vector);
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
                TensorPrimitives.Divide(vector, norm, vector);
            vectors[r] = vector;
        }
        return vectors;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        if (_model.IsValueCreated)
            _model.Value.Dispose();
    }
}
