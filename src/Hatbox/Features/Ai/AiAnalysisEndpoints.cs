using System.Diagnostics;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Ai.Analysis;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Db;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;

namespace Hatbox.Features.Ai;

/// <summary><c>POST /db/cluster</c> and <c>POST /db/detect-anomalies</c>: analyses over every row's vector at once.</summary>
internal static class AiAnalysisEndpoints
{
    const int CentroidPreview = 10;
    const int SamplesPerCluster = 5;

    internal static async Task<Results<JsonHttpResult<ClusterResponse>, ApiError>> Cluster(
        Body<ClusterRequest> body, ApiCaller caller, AiRequests ai, HttpContext http, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        var table = DbRequests.Table(request.Table);
        if ((environment.Error ?? table.Error) is { } invalid)
            return invalid;
        var max = ai.Options.MaxClusters;
        if (request.NumClusters is < 2 || request.NumClusters > max)
            return AiErrors.Invalid("num_clusters", $"num_clusters must be between 2 and {max}.");
        var low = request.MinClusters ?? 2;
        var high = request.MaxClusters ?? Math.Min(8, max);
        if (low < 2 || low > max)
            return AiErrors.Invalid("min_clusters", $"min_clusters must be between 2 and {max}.");
        if (high < low || high > max)
            return AiErrors.Invalid("max_clusters", $"max_clusters must be between min_clusters and {max}.");

        var opened = await ai.OpenAsync(caller, environment.Value, table.Value!, ct);
        if (!opened.Succeeded)
            return opened.Error!;
        var index = opened.Value!;
        if (index.Total > ai.Options.MaxClusterRows)
            return AiErrors.TooManyRows("Clustering", ai.Options.MaxClusterRows);
        var (keys, matrix) = await index.Search.SnapshotAsync(ct);
        var dimensions = index.Vectors.Dimensions;
        var kChoices = request.NumClusters is { } fixedK ? [fixedK] : Enumerable.Range(low, high - low + 1).ToArray();
        kChoices = [.. kChoices.Where(k => k <= keys.Length)];
        if (kChoices.Length == 0)
            return AiErrors.Invalid(request.NumClusters is null ? "min_clusters" : "num_clusters",
                $"The table has {keys.Length} indexed rows: too few for that many clusters.");

        KMeans.Result? best = null;
        var bestScore = double.MinValue;
        foreach (var k in kChoices)
        {
            ct.ThrowIfCancellationRequested();
            var result = KMeans.Run(matrix, dimensions, k);
            var score = Silhouette.Score(matrix, dimensions, result.Assignments, k);
            if (score > bestScore)
                (best, bestScore) = (result, score);
        }

        var texts = await index.Store.TextsAsync(index.Table, ct);
        var labels = ClusterLabels.Label([.. keys.Select(k => texts.GetValueOrDefault(k) ?? "")], best!.Assignments, best.K, index.TextColumns);
        if (request.GenerateLabels == true && http.RequestServices.GetService<IChatClient>() is { } chat)
            labels = await ChatLabelsAsync(chat, keys, texts, best, labels, ct);

        var samples = Enumerable.Range(0, best.K).Select(c => keys.Where((_, i) => best.Assignments[i] == c).Take(SamplesPerCluster).ToList()).ToList();
        var records = await AiRecords.FetchAsync(ai.Database(caller, environment.Value), index, [.. samples.SelectMany(s => s)], ct);
        if (!records.Succeeded)
            return records.Error!;
        var clusters = Enumerable.Range(0, best.K).Select(c => new ClusterInfo(
                c, best.Assignments.Count(a => a == c), [.. best.Centroids[c].Take(CentroidPreview).Select(v => MathF.Round(v, 6))],
                [.. samples[c].Where(records.Value!.ContainsKey).Select(k => records.Value![k])], labels[c]))
            .OrderByDescending(c => c.Size).ToList();
        return TypedResults.Json(new ClusterResponse(true, clusters, best.K, Math.Round(bestScore, 6), best.Iterations,
            AiRequests.Elapsed(started), AiRequests.Meta(index)), AiJsonContext.Default.ClusterResponse);
    }

    internal static async Task<Results<JsonHttpResult<DetectAnomaliesResponse>, ApiError>> DetectAnomalies(
        Body<DetectAnomaliesRequest> body, ApiCaller caller, AiRequests ai, HttpContext http, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        var table = DbRequests.Table(request.Table);
        var limit = ai.Limit(request.Limit);
        var threshold = AiRequests.Threshold(request.Threshold, 0.5, "threshold", 0, 1);
        if ((environment.Error ?? table.Error ?? limit.Error ?? threshold.Error) is { } invalid)
            return invalid;
        var k = request.K ?? 5;
        if (k < 1 || k > ai.Options.MaxNeighbors)
            return AiErrors.Invalid("k", $"k must be between 1 and {ai.Options.MaxNeighbors}.");

        var opened = await ai.OpenAsync(caller, environment.Value, table.Value!, ct);
        if (!opened.Succeeded)
            return opened.Error!;
        var index = opened.Value!;
        if (index.Total > ai.Options.MaxAnomalyRows)
            return AiErrors.TooManyRows("Anomaly detection", ai.Options.MaxAnomalyRows);
        var (keys, matrix) = await index.Search.SnapshotAsync(ct);
        var scored = keys.Length < 2 ? [] : NearestNeighbors.Score(matrix, index.Vectors.Dimensions, k);
        var outliers = scored.Where(s => s.Score >= threshold.Value).OrderByDescending(s => s.Score).ToList();
        var shown = outliers.Take(limit.Value).ToList();

        var wanted = shown.SelectMany(s => s.Neighbors.Select(n => keys[n.Index]).Prepend(keys[s.Index])).ToList();
        var records = await AiRecords.FetchAsync(ai.Database(caller, environment.Value), index, wanted, ct);
        if (!records.Succeeded)
            return records.Error!;
        var anomalies = shown.Where(s => records.Value!.ContainsKey(keys[s.Index])).Select(s => new Anomaly(
            records.Value![keys[s.Index]], Math.Round(s.Score, 6), Math.Round(s.AverageDistance, 6),
            [.. s.Neighbors.Where(n => records.Value!.ContainsKey(keys[n.Index]))
                .Select(n => new Neighbor(records.Value![keys[n.Index]], Math.Round(n.Distance, 6)))])).ToList();
        return TypedResults.Json(new DetectAnomaliesResponse(true, anomalies, outliers.Count, keys.Length,
            new AnomalyParameters(Math.Min(k, Math.Max(1, keys.Length - 1)), threshold.Value), AiRequests.Elapsed(started), AiRequests.Meta(index)),
            AiJsonContext.Default.DetectAnomaliesResponse);
    }

    /// <summary>Asks the configured chat model to name each cluster from a few of its rows; any failure keeps the word labels.</summary>
    static async Task<string[]> ChatLabelsAsync(
        IChatClient chat, string[] keys, Dictionary<string, string> texts, KMeans.Result clusters, string[] fallback, CancellationToken ct)
    {
        var labels = (string[])fallback.Clone();
        for (var c = 0; c < clusters.K; c++)
        {
            var examples = keys.Where((_, i) => clusters.Assignments[i] == c).Take(8).Select(k => "- " + (texts.GetValueOrDefault(k) ?? "").Replace('\n', ' '));
            try
            {
                var answer = await chat.GetResponseAsync(
                    $"Name the common theme of these records in at most five words. Answer with the name only.\n{string.Join('\n', examples)}",
                    cancellationToken: ct);
                if (answer.Text.Trim() is { Length: > 0 and <= 80 } label)
                    labels[c] = label;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                // The word labels stand; clustering does not depend on a chat model.
            }
        }
        return labels;
    }
}
