using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Storage;

/// <summary>
/// A file in a workspace's storage. The row is the commit point: it is written only after the
/// bytes are complete and flushed to disk, so every row has its bytes. The bytes are stored under
/// the file's id, never under the client's name.
/// </summary>
internal sealed class StoredFile
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    /// <summary>Normalized, <c>/</c>-separated, unique in the workspace: <c>invoices/2025/march.pdf</c>.</summary>
    public required string Path { get; init; }
    /// <summary>The last segment of <see cref="Path"/>, as the client named the file.</summary>
    public required string Filename { get; init; }
    public required string ContentType { get; init; }
    public long Size { get; init; }
    public required byte[] Sha256 { get; init; }
    public DateTimeOffset UploadedAt { get; init; }
}

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> file)
    {
        file.ToTable("stored_files");
        file.HasKey(f => f.Id);
        // One file per path: uploading to a taken path replaces the file (StorageEndpoints).
        file.HasIndex(f => new { f.WorkspaceId, f.Path }).IsUnique();
        file.Property(f => f.Path).HasMaxLength(StoragePaths.MaxPathBytes);
        file.Property(f => f.Filename).HasMaxLength(StoragePaths.MaxSegmentBytes);
        file.Property(f => f.ContentType).HasMaxLength(255);
        file.Property(f => f.Sha256).HasMaxLength(32);
        file.HasOne<Workspace>().WithMany().HasForeignKey(f => f.WorkspaceId);
    }
}
