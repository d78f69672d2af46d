using System.Diagnostics;
using Hatbox.Common;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Db;
using Microsoft.Extensions.AI;

namespace Hatbox.Features.Ai;

/// <summary>Checks and steps the six endpoints share, so each refuses a bad request the same way.</summary>
internal sealed class AiRequests(SearchIndexes indexes, ITenantDatabaseProvider databases,
    IEmbeddingGenerator<string, Embedding<float>> generator, Microsoft.Extensions.Options.IOptions<AiOptions> options)
{
    public const int DefaultLimit = 10;

    public AiOptions Options { get; } = options.Value;

    public SearchIndexes Indexes => indexes;

    public ITenantDatabase Database(ApiCaller caller, DbEnvironment environment) => databases.Get(caller.WorkspaceId, environment);

    public Outcome<int> Limit(int? limit, int fallback = DefaultLimit) =>
        limit switch
        {
            null => fallback,
            < 1 => AiErrors.Invalid("limit", "limit must be at least 1."),
            _ when limit > Options.MaxLimit => AiErrors.Invalid("limit", $"limit may be at most {Options.MaxLimit}."),
            _ => limit.Value,
        };

    public static Outcome<double> Threshold(double? threshold, double fallback, string param = "threshold", double min = -1, double max = 1) =>
        threshold switch
        {
            null => fallback,
            _ when double.IsNaN(threshold.Value) || threshold < min || threshold > max =>
                AiErrors.Invalid(param, $"{param} must be between {min} and {max}."),
            _ => threshold.Value,
        };

    public Outcome<string> Query(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
            return AiErrors.Missing("query", "Send the text to search for in query.");
        return query.Length > Options.MaxQueryLength
            ? AiErrors.Invalid("query", $"query may be at most {Options.MaxQueryLength} characters.")
            : query;
    }

    /// <summary>
    /// The table's index; while a pass is still bringing it up to date (a backfill, or writes of
    /// the last moment) waits a little, so a search right after a write sees it.
    /// </summary>
    public async Task<Outcome<TableIndex>> OpenAsync(ApiCaller caller, DbEnvironment environment, string table, CancellationToken ct)
    {
        var opened = await indexes.GetAsync(caller.WorkspaceId, environment, table, ct);
        if (!opened.Succeeded)
            return opened;
        var index = opened.Value!;
        var started = Stopwatch.GetTimestamp();
        while (!index.Ready && Stopwatch.GetElapsedTime(started).TotalMilliseconds < Options.BackfillWaitMilliseconds)
            await Task.Delay(20, ct);
        return index;
    }

    public async Task<Outcome<float[]>> EmbedAsync(string text, CancellationToken ct)
    {
        try
        {
            var embeddings = await generator.GenerateAsync([text], cancellationToken: ct);
            return embeddings[0].Vector.ToArray();
        }
        catch (HttpRequestException)
        {
            return AiErrors.EmbeddingUnavailable();
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return AiErrors.EmbeddingUnavailable();
        }
    }

    public static AiMeta Meta(params TableIndex[] tables) =>
        new(new IndexStatus(tables.All(t => t.Ready) ? "ready" : "indexing", tables.Sum(t => t.Indexed), tables.Sum(t => t.Total)));

    public static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);

    public static float[] Preview(float[] vector, int count = 5) => vector[..Math.Min(count, vector.Length)];

    public static float[] Normalize(float[] vector)
    {
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        if (norm > 0)
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }
}
