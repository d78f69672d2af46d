using System.Diagnostics;
using System.Numerics.Tensors;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Ai.Analysis;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Db;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Ai;

/// <summary>
/// <c>POST /db/recommend</c>. <c>similar</c>: nearest to the mean of <c>record_id</c> and
/// <c>user_history</c>. <c>diverse</c>: the same candidates re-ranked by maximal marginal
/// relevance. <c>popular</c>: Hatbox records no interactions, so "popular" means typical: the rows
/// nearest the centroid of the table (or of the given history). The sources are never returned.
/// </summary>
internal static class AiRecommendEndpoint
{
    internal static async Task<Results<JsonHttpResult<RecommendResponse>, ApiError>> Recommend(
        Body<RecommendRequest> body, ApiCaller caller, AiRequests ai, HttpContext http, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        var table = DbRequests.Table(request.Table);
        var limit = ai.Limit(request.Limit);
        if ((environment.Error ?? table.Error ?? limit.Error) is { } invalid)
            return invalid;
        var strategy = (request.Strategy ?? "similar").ToLowerInvariant();
        if (strategy is not ("similar" or "diverse" or "popular"))
            return AiErrors.Invalid("strategy", "strategy must be similar, diverse or popular.");
        if (request.UserHistory is { Count: > 1_000 })
            return AiErrors.Invalid("user_history", "user_history may name at most 1000 records.");

        var opened = await ai.OpenAsync(caller, environment.Value, table.Value!, ct);
        if (!opened.Succeeded)
            return opened.Error!;
        var index = opened.Value!;

        var sources = new List<string>();
        if (AiRecords.KeyOf(request.RecordId) is { } recordId)
            sources.Add(recordId);
        else if (request.RecordId is { ValueKind: not System.Text.Json.JsonValueKind.Null })
            return AiErrors.Invalid("record_id", "record_id is a string or a number.");
        foreach (var item in request.UserHistory ?? [])
        {
            if (AiRecords.KeyOf(item) is { } key)
                sources.Add(key);
        }
        var stored = await index.Search.VectorsAsync(sources, ct);
        var sourceVectors = sources.Where(stored.ContainsKey).Select(k => stored[k]).ToList();
        if (sources.Count > 0 && sourceVectors.Count == 0)
            return AiErrors.RecordNotFound(request.RecordId is null ? "user_history" : "record_id");
        if (sources.Count == 0 && strategy != "popular")
            return AiErrors.Missing("record_id", "Send record_id or user_history to recommend from (or use strategy popular).");

        var excluded = new HashSet<string>(sources, StringComparer.Ordinal);
        foreach (var item in request.ExcludeIds ?? [])
        {
            if (AiRecords.KeyOf(item) is { } key)
                excluded.Add(key);
        }
        var target = AiRequests.Normalize(sourceVectors.Count > 0 ? Sum(sourceVectors, index.Vectors.Dimensions) : await index.Search.SumAsync(ct));
        var source = sources.Count == 0 ? "table" : request.RecordId is not null && request.UserHistory is { Count: > 0 } ? "record_and_history"
            : request.RecordId is not null ? "record" : "user_history";

        var pool = strategy == "diverse" ? limit.Value * 5 : limit.Value;
        var hits = await index.Search.NearestAsync(target, pool, null, excluded, ct);
        var chosen = hits.Select(h => (h.Key, Score: (double)h.Score)).ToList();
        if (strategy == "diverse")
        {
            var vectors = await index.Search.VectorsAsync([.. hits.Select(h => h.Key)], ct);
            var candidates = hits.Select(h => (vectors.GetValueOrDefault(h.Key) ?? [], (double)h.Score)).ToList();
            chosen = [.. MaximalMarginalRelevance.Select(candidates, limit.Value).Select(p => (hits[p.Index].Key, p.Relevance))];
        }

        var records = await AiRecords.FetchAsync(ai.Database(caller, environment.Value), index, [.. chosen.Select(c => c.Key)], ct);
        if (!records.Succeeded)
            return records.Error!;
        var meta = new RecommendationMeta(strategy, source);
        var recommendations = chosen.Where(c => records.Value!.ContainsKey(c.Key))
            .Select(c => new Recommendation(records.Value![c.Key], Math.Round(c.Score, 6), meta)).ToList();
        return TypedResults.Json(new RecommendResponse(true, recommendations, strategy, AiRequests.Elapsed(started), AiRequests.Meta(index)),
            AiJsonContext.Default.RecommendResponse);
    }

    /// <summary>The sum, normalised by the caller, points where the mean does.</summary>
    static float[] Sum(List<float[]> vectors, int dimensions)
    {
        var sum = new float[dimensions];
        foreach (var vector in vectors)
            TensorPrimitives.Add(sum, vector, sum);
        return sum;
    }
}
