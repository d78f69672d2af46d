using System.Text.Json;
using System.Text.Json.Serialization;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Db;

namespace Hatbox.Features.Ai;

// Requests and answers of the six endpoints, named field by field as the official SDK
// (worqhat@3.14.0, src/resources/db/db.ts) names them.

internal sealed record SemanticSearchRequest(
    string? Query, string? Table, IReadOnlyList<string>? Tables, JsonElement? Filters, double? Threshold, int? Limit, string? Environment);

internal sealed record HybridSearchRequest(
    string? Query, string? Table,
    [property: JsonPropertyName("text_columns")] IReadOnlyList<string>? TextColumns,
    [property: JsonPropertyName("keyword_weight")] double? KeywordWeight,
    [property: JsonPropertyName("semantic_weight")] double? SemanticWeight,
    int? Limit, string? Environment);

internal sealed record FindSimilarRequest(
    string? Table, [property: JsonPropertyName("record_id")] JsonElement? RecordId,
    [property: JsonPropertyName("target_table")] string? TargetTable,
    [property: JsonPropertyName("exclude_self")] bool? ExcludeSelf, double? Threshold, int? Limit, string? Environment);

internal sealed record RecommendRequest(
    string? Table, [property: JsonPropertyName("record_id")] JsonElement? RecordId,
    [property: JsonPropertyName("user_history")] IReadOnlyList<JsonElement>? UserHistory,
    [property: JsonPropertyName("exclude_ids")] IReadOnlyList<JsonElement>? ExcludeIds,
    string? Strategy, int? Limit, string? Environment);

internal sealed record ClusterRequest(
    string? Table, [property: JsonPropertyName("num_clusters")] int? NumClusters,
    [property: JsonPropertyName("min_clusters")] int? MinClusters,
    [property: JsonPropertyName("max_clusters")] int? MaxClusters,
    [property: JsonPropertyName("generate_labels")] bool? GenerateLabels, string? Environment);

internal sealed record DetectAnomaliesRequest(string? Table, int? K, double? Threshold, int? Limit, string? Environment);

/// <summary>Answer-wide facts: whether every row was searchable yet.</summary>
internal sealed record AiMeta([property: JsonPropertyName("index_status")] IndexStatus IndexStatus);

internal sealed record SemanticSearchResponse(
    bool Success, IReadOnlyList<SemanticResult> Results,
    [property: JsonPropertyName("query_embedding_preview")] IReadOnlyList<float> QueryEmbeddingPreview,
    double ExecutionTime, [property: JsonPropertyName("_meta")] AiMeta Meta);

internal sealed record SemanticResult(
    QueryRow Record, double Similarity, string Table, [property: JsonPropertyName("_meta")] SemanticResultMeta Meta);

internal sealed record SemanticResultMeta([property: JsonPropertyName("matched_fields")] IReadOnlyList<string> MatchedFields);

internal sealed record HybridSearchResponse(
    bool Success, IReadOnlyList<HybridResult> Results,
    [property: JsonPropertyName("query_embedding_preview")] IReadOnlyList<float> QueryEmbeddingPreview,
    double ExecutionTime, [property: JsonPropertyName("_meta")] AiMeta Meta);

internal sealed record HybridResult(
    QueryRow Record,
    [property: JsonPropertyName("semantic_score")] double SemanticScore,
    [property: JsonPropertyName("keyword_score")] double KeywordScore,
    [property: JsonPropertyName("combined_score")] double CombinedScore,
    [property: JsonPropertyName("_meta")] HybridResultMeta Meta);

internal sealed record HybridResultMeta([property: JsonPropertyName("search_type")] string SearchType, HybridWeights Weights);

internal sealed record HybridWeights(double Semantic, double Keyword);

internal sealed record FindSimilarResponse(
    bool Success, [property: JsonPropertyName("source_record")] QueryRow SourceRecord,
    [property: JsonPropertyName("similar_records")] IReadOnlyList<SimilarRecord> SimilarRecords,
    double ExecutionTime, [property: JsonPropertyName("_meta")] AiMeta Meta);

internal sealed record SimilarRecord(QueryRow Record, double Similarity, string Table);

internal sealed record RecommendResponse(
    bool Success, IReadOnlyList<Recommendation> Recommendations, string Strategy,
    double ExecutionTime, [property: JsonPropertyName("_meta")] AiMeta Meta);

internal sealed record Recommendation(QueryRow Record, double Similarity, [property: JsonPropertyName("_meta")] RecommendationMeta Meta);

internal sealed record RecommendationMeta(string Strategy, string Source);

internal sealed record ClusterResponse(
    bool Success, IReadOnlyList<ClusterInfo> Clusters,
    [property: JsonPropertyName("optimal_k")] int OptimalK,
    [property: JsonPropertyName("silhouette_score")] double SilhouetteScore,
    int Iterations, double ExecutionTime, [property: JsonPropertyName("_meta")] AiMeta Meta);

internal sealed record ClusterInfo(
    int Id, int Size, IReadOnlyList<float> Centroid,
    [property: JsonPropertyName("sample_records")] IReadOnlyList<QueryRow> SampleRecords, string Label);

internal sealed record DetectAnomaliesResponse(
    bool Success, IReadOnlyList<Anomaly> Anomalies,
    [property: JsonPropertyName("anomaly_count")] int AnomalyCount,
    [property: JsonPropertyName("total_records")] int TotalRecords,
    AnomalyParameters Parameters, double ExecutionTime, [property: JsonPropertyName("_meta")] AiMeta Meta);

internal sealed record Anomaly(
    QueryRow Record, [property: JsonPropertyName("anomaly_score")] double AnomalyScore,
    [property: JsonPropertyName("avg_distance")] double AvgDistance,
    [property: JsonPropertyName("nearest_neighbors")] IReadOnlyList<Neighbor> NearestNeighbors);

internal sealed record Neighbor(QueryRow Record, double Distance);

internal sealed record AnomalyParameters(int K, double Threshold);

/// <summary><c>GET /v1/workspaces/{id}/search-indexes</c>: each indexed table and how far along it is.</summary>
internal sealed record SearchIndexInfo(string Table, string Environment, IReadOnlyList<string> Columns, string Model, IndexStatus Status);

internal sealed record SearchIndexList(IReadOnlyList<SearchIndexInfo> Items, string? NextCursor);

internal sealed record ConfigureSearchIndexRequest(IReadOnlyList<string>? Columns, string? Environment);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SemanticSearchResponse))]
[JsonSerializable(typeof(HybridSearchResponse))]
[JsonSerializable(typeof(FindSimilarResponse))]
[JsonSerializable(typeof(RecommendResponse))]
[JsonSerializable(typeof(ClusterResponse))]
[JsonSerializable(typeof(DetectAnomaliesResponse))]
[JsonSerializable(typeof(SearchIndexList))]
[JsonSerializable(typeof(SearchIndexInfo))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class AiJsonContext : JsonSerializerContext;
