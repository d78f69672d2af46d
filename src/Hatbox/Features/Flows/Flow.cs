using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Flows;

/// <summary>A workspace's flow: its id (a UUID, as the SDK's examples show), name and the version that triggers run.</summary>
internal sealed class Flow
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Every saved version of a flow's document; runs name the version they ran, so old versions stay.</summary>
internal sealed class FlowVersion
{
    public required string FlowId { get; init; }
    public int Version { get; init; }
    public required string Document { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
}

internal sealed class FlowConfiguration : IEntityTypeConfiguration<Flow>
{
    public void Configure(EntityTypeBuilder<Flow> flow)
    {
        flow.ToTable("flows");
        flow.HasKey(f => f.Id);
        flow.HasIndex(f => new { f.WorkspaceId, f.CreatedAt });
        flow.Property(f => f.Name).HasMaxLength(200);
        flow.HasOne<Workspace>().WithMany().HasForeignKey(f => f.WorkspaceId);
    }
}

internal sealed class FlowVersionConfiguration : IEntityTypeConfiguration<FlowVersion>
{
    public void Configure(EntityTypeBuilder<FlowVersion> version)
    {
        version.ToTable("flow_versions");
        version.HasKey(v => new { v.FlowId, v.Version });
        version.HasOne<Flow>().WithMany().HasForeignKey(v => v.FlowId).OnDelete(DeleteBehavior.Cascade);
    }
}
