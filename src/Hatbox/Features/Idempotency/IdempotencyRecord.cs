using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Idempotency;

/// <summary>
/// The first answer to a POST sent with an <c>Idempotency-Key</c>, per organization, kept 24 hours.
/// A row without <see cref="CompletedAt"/> is a request still running.
/// </summary>
internal sealed class IdempotencyRecord
{
    public required string OrganizationId { get; init; }
    public required string Key { get; init; }
    /// <summary>SHA-256 of method, path, query and body: the same key with another request is refused.</summary>
    public required byte[] RequestHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public byte[]? Body { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.ToTable("idempotency_records");
        record.HasKey(r => new { r.OrganizationId, r.Key });
        record.HasIndex(r => r.ExpiresAt);
        record.Property(r => r.Key).HasMaxLength(255);
        record.Property(r => r.ContentType).HasMaxLength(200);
    }
}
