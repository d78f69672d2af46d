namespace Hatbox.Features.Migration;

/// <summary>What a move copied and verified, printed with <c>--json</c> (docs/scale-out.md).</summary>
internal sealed record MoveReport(
    IReadOnlyDictionary<string, TableReport> Platform,
    IReadOnlyList<TenantReport> Tenants,
    FilesReport Files,
    IReadOnlyList<IndexReport> Indexes,
    IReadOnlyList<string> NotMoved,
    bool Verified);

/// <summary>One table: rows in the source and the target, and the order-independent SHA-256 of each side's rows.</summary>
internal sealed record TableReport(long Rows, long TargetRows, string Checksum, string TargetChecksum)
{
    public bool Matches => Rows == TargetRows && Checksum == TargetChecksum;
}

internal sealed record TenantReport(string WorkspaceId, string Environment, string Schema, IReadOnlyDictionary<string, TableReport> Tables);

internal sealed record FilesReport(long Count, long Bytes);

/// <summary>
/// One search index: per table its rows (key, hash, model, vector; checksummed), its keyword rows
/// (<c>"name (keywords)"</c>) and the rows embedded each month (<c>"embedded_rows yyyy-MM"</c>), counted only.
/// </summary>
internal sealed record IndexReport(string WorkspaceId, string Environment, string Schema, IReadOnlyDictionary<string, TableReport> Tables);
