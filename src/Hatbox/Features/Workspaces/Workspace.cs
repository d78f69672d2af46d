using Hatbox.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Workspaces;

/// <summary>The tenant: all data, members, keys and allowed domains belong to one workspace.</summary>
internal sealed class Workspace
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    /// <summary>The seed's <c>$workspace</c>: lower-case letters, digits and dashes, unique.</summary>
    public required string Slug { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> workspace)
    {
        workspace.ToTable("workspaces");
        workspace.HasKey(w => w.Id);
        workspace.HasIndex(w => w.Slug).IsUnique();
        workspace.Property(w => w.Slug).HasMaxLength(63);
        workspace.Property(w => w.Name).HasMaxLength(200);
        workspace.HasOne<Organization>().WithMany().HasForeignKey(w => w.OrganizationId);
    }
}
