using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Ai;

/// <summary>The limits of the AI-over-data endpoints and the index behind them (<c>Ai:…</c>).</summary>
internal sealed class AiOptions
{
    public const string SectionName = "Ai";

    /// <summary>Most results one search, similar or recommend call may ask for.</summary>
    [Range(1, 10_000)] public int MaxLimit { get; set; } = 100;

    /// <summary>Characters of one query text.</summary>
    [Range(1, 100_000)] public int MaxQueryLength { get; set; } = 2_000;

    /// <summary>Rows a table may have for <c>/db/cluster</c>; more is refused with 422 naming the cap.</summary>
    [Range(2, 1_000_000)] public int MaxClusterRows { get; set; } = 10_000;

    /// <summary>Rows a table may have for <c>/db/detect-anomalies</c> (every pair is compared).</summary>
    [Range(2, 1_000_000)] public int MaxAnomalyRows { get; set; } = 5_000;

    /// <summary>Largest <c>num_clusters</c>/<c>max_clusters</c>.</summary>
    [Range(2, 1_000)] public int MaxClusters { get; set; } = 20;

    /// <summary>Largest <c>k</c> of <c>/db/detect-anomalies</c>.</summary>
    [Range(1, 1_000)] public int MaxNeighbors { get; set; } = 50;

    /// <summary>How long a search waits for a backfill still running before it answers with what is indexed.</summary>
    [Range(0, 60_000)] public int BackfillWaitMilliseconds { get; set; } = 2_000;

    /// <summary>Writes are gathered this long before the indexer looks at the table, so bursts cost one scan.</summary>
    [Range(0, 10_000)] public int ChangeDelayMilliseconds { get; set; } = 100;

    /// <summary>A table's vectors not searched for this long leave memory (they stay on disk).</summary>
    [Range(1, 86_400 * 7)] public int IdleSeconds { get; set; } = 900;

    /// <summary>Rows read from the tenant database per page while reconciling.</summary>
    [Range(10, 10_000)] public int ScanPageRows { get; set; } = 2_000;

    /// <summary>
    /// Share of its time the indexer pauses between batches while the table is being written to
    /// (a write notice in the last second), so embedding does not starve the writes; 0 never pauses.
    /// </summary>
    [Range(0, 0.95)] public double YieldWhileWriting { get; set; } = 0.75;

    /// <summary>
    /// A table with at least this many vectors is searched through an approximate (HNSW) index
    /// instead of a full scan; 0 keeps every search exact. Below 20,000 rows a scan takes under 3 ms.
    /// </summary>
    [Range(0, int.MaxValue)] public int ApproximateAboveRows { get; set; } = 20_000;

    /// <summary>
    /// Bytes of vectors (and approximate graphs) all open table indexes may keep in memory; above
    /// it the least recently searched ones leave memory (they stay on disk and reload on their next search).
    /// </summary>
    [Range(1, long.MaxValue)] public long MemoryBudgetBytes { get; set; } = 1L << 30;

    /// <summary>Rows embedded and written per transaction by the indexer.</summary>
    [Range(1, 4_096)] public int IndexBatchRows { get; set; } = 64;
}
