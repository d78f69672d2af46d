namespace Hatbox.Features.Ai.Index;

/// <summary>The values of <c>/health</c>'s <c>services.vectors</c>: who stores the vectors' type and where search runs.</summary>
internal static class VectorEngines
{
    /// <summary>PostgreSQL's <c>vector</c> extension holds the vectors (<c>vector</c> columns).</summary>
    public const string Pgvector = "pgvector";

    /// <summary>Vectors stored as blobs or <c>real[]</c>, searched in each node's memory.</summary>
    public const string InProcess = "in-process";
}
