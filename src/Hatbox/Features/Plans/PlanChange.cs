using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Plans;

/// <summary>
/// One move of an organization from one plan to another, kept for billing: a statement can tell
/// from these rows since when an organization pays, and who moved it there (null: the operator's CLI).
/// </summary>
internal sealed class PlanChange
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string FromPlan { get; init; }
    public required string ToPlan { get; init; }
    /// <summary>Whether <see cref="ToPlan"/> bills (has an overage price) at the time of the change.</summary>
    public bool ToPaidPlan { get; init; }
    public string? ChangedByUserId { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
}

internal sealed class PlanChangeConfiguration : IEntityTypeConfiguration<PlanChange>
{
    public void Configure(EntityTypeBuilder<PlanChange> change)
    {
        change.ToTable("plan_changes");
        change.HasKey(c => c.Id);
        change.HasIndex(c => new { c.OrganizationId, c.ChangedAt });
        change.Property(c => c.FromPlan).HasMaxLength(64);
        change.Property(c => c.ToPlan).HasMaxLength(64);
    }
}
