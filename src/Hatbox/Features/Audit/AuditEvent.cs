using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Audit;

/// <summary>Who did what to whom in a workspace. <see cref="ActorUserId"/> is null for the admin CLI.</summary>
internal sealed class AuditEvent
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public string? ActorUserId { get; init; }
    public required string Action { get; init; }
    public required string TargetId { get; init; }
    public string? Detail { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> audit)
    {
        audit.ToTable("audit_events");
        audit.HasKey(a => a.Id);
        audit.HasIndex(a => new { a.WorkspaceId, a.CreatedAt });
        audit.Property(a => a.Action).HasMaxLength(64);
    }
}
