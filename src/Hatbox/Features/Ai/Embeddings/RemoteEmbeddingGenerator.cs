using System.Net.Http.Headers;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.Embeddings;

/// <summary>
/// Embeddings from a server of the operator's choosing: an OpenAI-compatible
/// <c>POST {Endpoint}/embeddings</c> or Ollama's <c>POST {Endpoint}/api/embed</c>. Two small
/// protocols spoken directly, rather than two SDKs for one call each. Vectors are scaled to unit
/// length here, so the index can treat every provider's cosine as a dot product.
/// </summary>
internal sealed class RemoteEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    readonly HttpClient _http;
    readonly EmbeddingOptions _options;
    readonly EmbeddingGeneratorMetadata _metadata;

    public RemoteEmbeddingGenerator(HttpClient http, IOptions<EmbeddingOptions> options)
    {
        _http = http;
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.Endpoint) || string.IsNullOrWhiteSpace(_options.Model))
            throw new OptionsValidationException(EmbeddingOptions.SectionName, typeof(EmbeddingOptions),
                [$"Ai:Embeddings:Endpoint and Ai:Embeddings:Model are required for the '{_options.Provider}' provider."]);
        _http.Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
        _metadata = new EmbeddingGeneratorMetadata(_options.Provider, new Uri(_options.Endpoint), _options.Model,
            _options.Dimensions > 0 ? _options.Dimensions : null);
    }

    bool IsOllama => _options.Provider == EmbeddingProviders.Ollama;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? generationOptions = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        for (var start = 0; start < texts.Length; start += _options.BatchSize)
        {
            var batch = texts.AsSpan(start, Math.Min(_options.BatchSize, texts.Length - start)).ToArray();
            foreach (var vector in await PostAsync(batch, cancellationToken))
                result.Add(new Embedding<float>(Normalize(vector)) { ModelId = _options.Model, CreatedAt = DateTimeOffset.UtcNow });
        }
        return result;
    }

    async Task<float[][]> PostAsync(string[] batch, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["model"] = _options.Model, ["input"] = new JsonArray([.. batch.Select(t => (JsonNode?)t)]) };
        var path = IsOllama ? "/api/embed" : "/embeddings";
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint!.TrimEnd('/') + path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(_options.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);

        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The embedding provider answered {(int)response.StatusCode}.", null, response.StatusCode);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);

        var vectors = IsOllama
            ? json.RootElement.GetProperty("embeddings").EnumerateArray().Select(ReadVector).ToArray()
            : json.RootElement.GetProperty("data").EnumerateArray()
                .OrderBy(item => item.TryGetProperty("index", out var index) ? index.GetInt32() : 0)
                .Select(item => ReadVector(item.GetProperty("embedding"))).ToArray();
        if (vectors.Length != batch.Length)
            throw new HttpRequestException($"The embedding provider answered {vectors.Length} vectors for {batch.Length} texts.");
        return vectors;
    }

    static float[] ReadVector(JsonElement array) => [.. array.EnumerateArray().Select(n => n.GetSingle())];

    static float[] Normalize(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() { }
}
