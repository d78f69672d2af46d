using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// A workspace's API key. Only the SHA-256 of the secret is kept; the secret itself is shown once.
/// The key acts with its creator's current membership, read at every use.
/// </summary>
internal sealed class ApiKey
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string CreatedByUserId { get; init; }
    public required string Name { get; set; }
    public required byte[] SecretHash { get; init; }
    /// <summary>Prefix and last four characters, e.g. <c>wh_live_…Xy9Q</c>.</summary>
    public required string Hint { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.ToTable("api_keys");
        key.HasKey(k => k.Id);
        key.HasIndex(k => k.SecretHash).IsUnique();
        key.HasIndex(k => k.WorkspaceId);
        key.Property(k => k.Name).HasMaxLength(100);
        key.HasOne<Workspace>().WithMany().HasForeignKey(k => k.WorkspaceId);
    }
}
