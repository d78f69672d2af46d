using System.Diagnostics;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Db;
using Hatbox.Features.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Ai;

/// <summary>
/// The SDK's AI-over-data routes under <c>/db</c> (semantic and hybrid search, similar records,
/// recommendations, clusters, anomalies), on the key's workspace in the request's environment.
/// Metered as their own endpoint group, <c>ai</c>.
/// </summary>
internal static class AiSearchEndpoints
{
    public const string MeteringGroup = "ai";

    public static RouteGroupBuilder MapAiSearch(this RouteGroupBuilder db)
    {
        db.MapPost("/semantic-search", SemanticSearch).WithName("DbSemanticSearch").WithMetadata(new MeteringGroupMetadata(MeteringGroup));
        db.MapPost("/hybrid-search", HybridSearch).WithName("DbHybridSearch").WithMetadata(new MeteringGroupMetadata(MeteringGroup));
        db.MapPost("/find-similar", FindSimilar).WithName("DbFindSimilar").WithMetadata(new MeteringGroupMetadata(MeteringGroup));
        db.MapPost("/recommend", AiRecommendEndpoint.Recommend).WithName("DbRecommend").WithMetadata(new MeteringGroupMetadata(MeteringGroup));
        db.MapPost("/cluster", AiAnalysisEndpoints.Cluster).WithName("DbCluster").WithMetadata(new MeteringGroupMetadata(MeteringGroup));
        db.MapPost("/detect-anomalies", AiAnalysisEndpoints.DetectAnomalies).WithName("DbDetectAnomalies").WithMetadata(new MeteringGroupMetadata(MeteringGroup));
        return db;
    }

    // Internal: the flows semantic-search step calls it, so a step answers exactly what the endpoint does.
    internal static async Task<Results<JsonHttpResult<SemanticSearchResponse>, ApiError>> SemanticSearch(
        Body<SemanticSearchRequest> body, ApiCaller caller, AiRequests ai, HttpContext http, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        var query = ai.Query(request.Query);
        var limit = ai.Limit(request.Limit);
        var threshold = AiRequests.Threshold(request.Threshold, 0);
        if ((environment.Error ?? query.Error ?? limit.Error ?? threshold.Error) is { } invalid)
            return invalid;
        var tables = request.Tables is { Count: > 0 } many ? many.Distinct(StringComparer.OrdinalIgnoreCase).ToList()
            : !string.IsNullOrWhiteSpace(request.Table) ? [request.Table] : null;
        if (tables is null)
            return AiErrors.Missing("table", "Name the table in table, or several in tables.");
        if (tables.Count > 20)
            return AiErrors.Invalid("tables", "Search at most 20 tables at once.");
        IReadOnlyList<ColumnValue> filters = [];
        if (request.Filters is { ValueKind: not (System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined) })
        {
            var parsed = DbRequests.Columns(request.Filters, "filters", allowEmpty: true, 50);
            if (parsed.Error is { } badFilters)
                return badFilters;
            filters = parsed.Value!;
        }

        var database = ai.Database(caller, environment.Value);
        var indexes = new List<TableIndex>();
        foreach (var table in tables)
        {
            var opened = await ai.OpenAsync(caller, environment.Value, table, ct);
            if (!opened.Succeeded)
                return opened.Error!;
            indexes.Add(opened.Value!);
        }
        var vector = await ai.EmbedAsync(query.Value!, ct);
        if (!vector.Succeeded)
            return vector.Error!;

        var hits = new List<(TableIndex Index, string Key, float Score)>();
        foreach (var index in indexes)
        {
            HashSet<string>? allowed = null;
            if (filters is { Count: > 0 } conditions)
            {
                var columns = await database.GetColumnsAsync(index.Table, ct);
                if (!columns.Succeeded)
                    return columns.Error!;
                var filtered = await AiRecords.FilterAsync(database, index, conditions, columns.Value!, ct);
                if (!filtered.Succeeded)
                    return filtered.Error!;
                allowed = filtered.Value!;
            }
            hits.AddRange((await index.Search.NearestAsync(vector.Value!, limit.Value, allowed, null, ct))
                .Where(h => h.Score >= threshold.Value).Select(h => (index, h.Key, h.Score)));
        }
        hits = [.. hits.OrderByDescending(h => h.Score).Take(limit.Value)];

        var results = new List<SemanticResult>();
        foreach (var group in hits.GroupBy(h => h.Index))
        {
            var records = await AiRecords.FetchAsync(database, group.Key, [.. group.Select(h => h.Key)], ct);
            if (!records.Succeeded)
                return records.Error!;
            foreach (var (index, key, score) in group)
            {
                if (records.Value!.TryGetValue(key, out var record))
                    results.Add(new SemanticResult(record, Math.Round(score, 6), index.Table, new SemanticResultMeta(MatchedFields(record, index, query.Value!))));
            }
        }
        results = [.. results.OrderByDescending(r => r.Similarity)];
        return TypedResults.Json(new SemanticSearchResponse(true, results, AiRequests.Preview(vector.Value!), AiRequests.Elapsed(started),
            AiRequests.Meta([.. indexes])), AiJsonContext.Default.SemanticSearchResponse);
    }

    static async Task<Results<JsonHttpResult<HybridSearchResponse>, ApiError>> HybridSearch(
        Body<HybridSearchRequest> body, ApiCaller caller, AiRequests ai, HttpContext http, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        var table = DbRequests.Table(request.Table);
        var query = ai.Query(request.Query);
        var limit = ai.Limit(request.Limit);
        var semanticWeight = AiRequests.Threshold(request.SemanticWeight, 0.7, "semantic_weight", 0, 1);
        var keywordWeight = AiRequests.Threshold(request.KeywordWeight, 0.3, "keyword_weight", 0, 1);
        if ((environment.Error ?? table.Error ?? query.Error ?? limit.Error ?? semanticWeight.Error ?? keywordWeight.Error) is { } invalid)
            return invalid;
        if (semanticWeight.Value + keywordWeight.Value <= 0)
            return AiErrors.Invalid("semantic_weight", "At least one weight must be above 0.");

        var opened = await ai.OpenAsync(caller, environment.Value, table.Value!, ct);
        if (!opened.Succeeded)
            return opened.Error!;
        var index = opened.Value!;
        var keywordColumns = index.TextColumns.ToList();
        if (request.TextColumns is { Count: > 0 } chosen)
        {
            keywordColumns = [];
            foreach (var column in chosen)
            {
                var match = index.TextColumns.FirstOrDefault(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                    return AiErrors.Invalid("text_columns", $"'{column}' is not one of this table's indexed text columns.");
                keywordColumns.Add(match);
            }
        }
        var vector = await ai.EmbedAsync(query.Value!, ct);
        if (!vector.Succeeded)
            return vector.Error!;

        // Scale each signal to 0–1 before mixing: BM25 is unbounded, cosine is not.
        var terms = KeywordTerms.OfQuery(query.Value!);
        var keyword = terms.Count > 0 ? await index.Store.KeywordsAsync(index.Table, terms, keywordColumns, 1_000, ct) : [];
        var bestKeyword = keyword.Count == 0 ? 1 : keyword.Values.Max();
        var candidates = (await index.Search.NearestAsync(vector.Value!, limit.Value * 5, null, null, ct))
            .ToDictionary(h => h.Key, h => (double)h.Score, StringComparer.Ordinal);
        foreach (var (key, stored) in await index.Search.VectorsAsync([.. keyword.Keys.Where(k => !candidates.ContainsKey(k))], ct))
            candidates[key] = System.Numerics.Tensors.TensorPrimitives.Dot(vector.Value!, stored);
        var weights = new HybridWeights(semanticWeight.Value, keywordWeight.Value);
        var ranked = candidates
            .Select(c => (Key: c.Key, Semantic: Math.Max(0, c.Value), Keyword: keyword.GetValueOrDefault(c.Key) / bestKeyword))
            .Select(c => (c.Key, c.Semantic, c.Keyword, Combined: c.Semantic * weights.Semantic + c.Keyword * weights.Keyword))
            .OrderByDescending(c => c.Combined).Take(limit.Value).ToList();

        var records = await AiRecords.FetchAsync(ai.Database(caller, environment.Value), index, [.. ranked.Select(r => r.Key)], ct);
        if (!records.Succeeded)
            return records.Error!;
        var meta = new HybridResultMeta("hybrid", weights);
        var results = ranked.Where(r => records.Value!.ContainsKey(r.Key))
            .Select(r => new HybridResult(records.Value![r.Key], Math.Round(r.Semantic, 6), Math.Round(r.Keyword, 6), Math.Round(r.Combined, 6), meta))
            .ToList();
        return TypedResults.Json(new HybridSearchResponse(true, results, AiRequests.Preview(vector.Value!), AiRequests.Elapsed(started),
            AiRequests.Meta(index)), AiJsonContext.Default.HybridSearchResponse);
    }

    static async Task<Results<JsonHttpResult<FindSimilarResponse>, ApiError>> FindSimilar(
        Body<FindSimilarRequest> body, ApiCaller caller, AiRequests ai, HttpContext http, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        var table = DbRequests.Table(request.Table);
        var limit = ai.Limit(request.Limit);
        var threshold = AiRequests.Threshold(request.Threshold, 0);
        var recordId = AiRecords.KeyOf(request.RecordId);
        if ((environment.Error ?? table.Error ?? limit.Error ?? threshold.Error) is { } invalid)
            return invalid;
        if (recordId is null)
            return AiErrors.Missing("record_id", "Name the source record's id in record_id.");

        var database = ai.Database(caller, environment.Value);
        var source = await ai.OpenAsync(caller, environment.Value, table.Value!, ct);
        if (!source.Succeeded)
            return source.Error!;
        var target = source.Value!;
        if (!string.IsNullOrWhiteSpace(request.TargetTable) && !string.Equals(request.TargetTable, table.Value, StringComparison.OrdinalIgnoreCase))
        {
            var opened = await ai.OpenAsync(caller, environment.Value, request.TargetTable, ct);
            if (!opened.Succeeded)
                return opened.Error! with { Param = "target_table" };
            target = opened.Value!;
        }
        var sourceRecord = await AiRecords.FetchAsync(database, source.Value!, [recordId], ct);
        if (!sourceRecord.Succeeded)
            return sourceRecord.Error!;
        if (!sourceRecord.Value!.TryGetValue(recordId, out var record)
            || !(await source.Value!.Search.VectorsAsync([recordId], ct)).TryGetValue(recordId, out var vector))
            return AiErrors.RecordNotFound("record_id");

        var excludeSelf = request.ExcludeSelf ?? true;
        var sameTable = ReferenceEquals(target, source.Value);
        var hits = (await target.Search.NearestAsync(vector, limit.Value + 1, null, null, ct))
            .Where(h => !(excludeSelf && sameTable && h.Key == recordId) && h.Score >= threshold.Value)
            .Take(limit.Value).ToList();
        var records = await AiRecords.FetchAsync(database, target, [.. hits.Select(h => h.Key)], ct);
        if (!records.Succeeded)
            return records.Error!;
        var similar = hits.Where(h => records.Value!.ContainsKey(h.Key))
            .Select(h => new SimilarRecord(records.Value![h.Key], Math.Round(h.Score, 6), target.Table)).ToList();
        return TypedResults.Json(new FindSimilarResponse(true, record, similar, AiRequests.Elapsed(started), AiRequests.Meta(source.Value!, target)),
            AiJsonContext.Default.FindSimilarResponse);
    }

    /// <summary>The text columns that share a word with the query, else every text column that has text.</summary>
    static List<string> MatchedFields(QueryRow record, TableIndex index, string query)
    {
        var words = Words(query).ToHashSet(StringComparer.Ordinal);
        var present = new List<string>();
        var matched = new List<string>();
        var row = record.Result.Rows[record.Index];
        foreach (var column in index.TextColumns)
        {
            var at = Array.FindIndex(record.Result.Columns, c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase));
            if (at < 0 || row[at] is not string text || text.Length == 0)
                continue;
            present.Add(column);
            if (Words(text).Any(words.Contains))
                matched.Add(column);
        }
        return matched.Count > 0 ? matched : present;
    }

    static IEnumerable<string> Words(string text) =>
        text.ToLowerInvariant().Split((char[])[' ', ',', '.', ';', ':', '-', '_', '/', '\n', '\t', '!', '?', '(', ')', '"', '\''],
            StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 2);

    /// <summary>
    /// The query as an FTS5 expression: every letter-or-digit run quoted (so no FTS syntax of the
    /// caller's is ever interpreted) and joined with OR; BM25 then favours rare tokens like a SKU.
    /// </summary>
    internal static string? FtsQuery(string query) => KeywordTerms.Fts5Expression(KeywordTerms.OfQuery(query));
}
