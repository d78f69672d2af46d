using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json.Serialization;
using Hatbox.Features.Ai.Embeddings;
using Microsoft.Extensions.Options;

namespace Baseline;

/// <summary>
/// Stands in for Hatbox's <c>POST /db/semantic-search</c> (bench/run.sh, <c>semantic_search</c>): the
/// same MiniLM model (Hatbox's generator source, linked) embeds the query, and the same exact top-k
/// (<c>TensorPrimitives.Dot</c> over one contiguous matrix, as Hatbox's scan) runs over the same rows,
/// read from the fixture at start and kept in memory: no key, no SQL, no index bookkeeping.
/// </summary>
static class SearchBaseline
{
    public static void Map(WebApplication app, string fixture)
    {
        var (texts, vectors) = SearchFixture.Read(fixture);
        var dimensions = vectors[0].Length;
        var matrix = new float[texts.Length * dimensions];
        for (var i = 0; i < vectors.Length; i++)
            vectors[i].CopyTo(matrix, i * dimensions);
        var generator = new MiniLmEmbeddingGenerator(Options.Create(new EmbeddingOptions()));
        // Loaded now, as Hatbox's first search would have done during the warm-up.
        generator.GenerateAsync(["warm up"]).GetAwaiter().GetResult();

        app.MapPost("/db/semantic-search", async (HttpRequest request, HttpResponse response) =>
        {
            var started = Stopwatch.GetTimestamp();
            var search = await request.ReadFromJsonAsync(SearchJsonContext.Default.SearchRequest);
            var limit = search?.Limit ?? 10;
            var query = (await generator.GenerateAsync([search?.Query ?? ""]))[0].Vector.ToArray();
            var top = new PriorityQueue<(int Row, float Score), float>(limit + 1);
            for (var row = 0; row < texts.Length; row++)
            {
                var score = TensorPrimitives.Dot(query, matrix.AsSpan(row * dimensions, dimensions));
                if (top.Count == limit && score <= top.Peek().Score)
                    continue;
                top.Enqueue((row, score), score);
                if (top.Count > limit)
                    top.Dequeue();
            }
            var results = new List<SearchResult>(top.Count);
            while (top.Count > 0)
            {
                var (row, score) = top.Dequeue();
                results.Add(new SearchResult(new SearchRecord(row + 1, texts[row]), Math.Round(score, 6), "docs", new SearchResultMeta(["body"])));
            }
            results.Reverse();
            AnswerHeaders.Write(response, rateLimited: true);
            return TypedResults.Json(new SearchResponse(true, results, query[..5],
                Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2), new SearchMeta(new SearchIndexStatus("ready", texts.Length, texts.Length))),
                SearchJsonContext.Default.SearchResponse);
        });
    }
}

// Hatbox's /db/semantic-search shapes (Features/Ai/AiContracts.cs), for a table of (id, body).
sealed record SearchRequest(string? Query, string? Table, int? Limit, string? Environment);

sealed record SearchResponse(
    bool Success, IReadOnlyList<SearchResult> Results,
    [property: JsonPropertyName("query_embedding_preview")] IReadOnlyList<float> QueryEmbeddingPreview,
    double ExecutionTime, [property: JsonPropertyName("_meta")] SearchMeta Meta);

sealed record SearchResult(SearchRecord Record, double Similarity, string Table, [property: JsonPropertyName("_meta")] SearchResultMeta Meta);

sealed record SearchRecord(long Id, string Body);

sealed record SearchResultMeta([property: JsonPropertyName("matched_fields")] IReadOnlyList<string> MatchedFields);

sealed record SearchMeta([property: JsonPropertyName("index_status")] SearchIndexStatus IndexStatus);

sealed record SearchIndexStatus(string State, long Indexed, long Total);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
sealed partial class SearchJsonContext : JsonSerializerContext;
