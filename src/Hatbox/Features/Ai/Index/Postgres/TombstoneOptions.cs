using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Ai.Index.Postgres;

/// <summary><c>Ai:Tombstones:*</c>: how long the PostgreSQL index keeps the trace of a deleted row for other nodes' copies.</summary>
internal sealed class TombstoneOptions
{
    public const string SectionName = "Ai:Tombstones";

    /// <summary>
    /// A deleted row's tombstone is kept this long. A node searching a table catches up every
    /// 250 ms, so any copy in use has long seen it; a copy older than a pruned tombstone is loaded
    /// again in full, so a shorter time only costs reloads, never a wrong answer.
    /// </summary>
    [Range(1, 86_400 * 30)] public int RetentionSeconds { get; set; } = 600;

    /// <summary>How often one node (an advisory lock picks it) prunes every index's old tombstones.</summary>
    [Range(1, 86_400)] public int PruneIntervalSeconds { get; set; } = 60;
}
