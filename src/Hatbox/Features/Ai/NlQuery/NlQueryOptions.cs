using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary><c>Ai:NlQuery:…</c>: limits of the questions and of what the engines read about the data.</summary>
internal sealed class NlQueryOptions
{
    public const string SectionName = "Ai:NlQuery";

    [Range(10, 10_000)] public int MaxQuestionLength { get; set; } = 1_000;

    /// <summary>A text column with at most this many distinct values is low-cardinality: its values link and go to the chat model.</summary>
    [Range(0, 1_000)] public int MaxDistinctValues { get; set; } = 30;

    /// <summary>Of those, how many per column the chat model sees.</summary>
    [Range(0, 100)] public int ChatSampleValues { get; set; } = 10;

    /// <summary>Tables read per workspace for linking and for the chat model's schema.</summary>
    [Range(1, 1_000)] public int MaxTables { get; set; } = 50;

    /// <summary>How long a workspace's schema and stored values are reused before they are read again.</summary>
    [Range(0, 3_600_000)] public int SchemaCacheMilliseconds { get; set; } = 5_000;

    /// <summary>Cosine similarity a word needs to a table or column name to count as its synonym (with an embedding model).</summary>
    [Range(0.0, 1.0)] public double SynonymThreshold { get; set; } = 0.55;
}
