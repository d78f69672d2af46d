using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Domains;

/// <summary>
/// An origin a workspace's browser calls may come from: <c>https://app.example.com</c> (scheme,
/// host and port exactly) or <c>https://*.example.com</c> (any subdomain, not the apex).
/// </summary>
internal sealed class AllowedDomain
{
    public required string WorkspaceId { get; init; }
    public required string Origin { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class AllowedDomainConfiguration : IEntityTypeConfiguration<AllowedDomain>
{
    public void Configure(EntityTypeBuilder<AllowedDomain> domain)
    {
        domain.ToTable("allowed_domains");
        domain.HasKey(d => new { d.WorkspaceId, d.Origin });
        domain.Property(d => d.Origin).HasMaxLength(300);
        domain.HasOne<Workspace>().WithMany().HasForeignKey(d => d.WorkspaceId);
    }
}
