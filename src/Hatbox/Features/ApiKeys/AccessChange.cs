using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// One row per change that can alter what a key may do (revocation, role, API access, removal,
/// plan, version pin), written in the same transaction as the change. Every node watches the
/// newest id and drops its key cache when it moves, so the CLI, another node or the portal all
/// take effect everywhere within a second.
/// </summary>
internal sealed class AccessChange
{
    public long Id { get; init; }
    public required string Reason { get; init; }
    public DateTimeOffset At { get; init; }
}

internal sealed class AccessChangeConfiguration : IEntityTypeConfiguration<AccessChange>
{
    public void Configure(EntityTypeBuilder<AccessChange> change)
    {
        change.ToTable("access_changes");
        change.HasKey(c => c.Id);
        change.Property(c => c.Id).ValueGeneratedOnAdd();
        change.Property(c => c.Reason).HasMaxLength(64);
    }
}
