using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Organizations;

/// <summary>
/// The billing entity. Its public id (<c>org_…</c>) is the seed's ORG key. The API version is
/// null until the organization's first API request pins it.
/// </summary>
internal sealed class Organization
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Plan { get; set; }
    public string? ApiVersion { get; set; }
    public string? PreviousApiVersion { get; set; }
    public DateTimeOffset? ApiVersionChangedAt { get; set; }
    public string? BillingEmail { get; set; }
    /// <summary>Who created it (null: the operator's CLI), for the per-account caps on new organizations.</summary>
    public string? CreatedByUserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> organization)
    {
        organization.ToTable("organizations");
        organization.HasKey(o => o.Id);
        organization.Property(o => o.Name).HasMaxLength(200);
        organization.Property(o => o.Plan).HasMaxLength(64);
        organization.HasIndex(o => new { o.CreatedByUserId, o.CreatedAt });
    }
}
