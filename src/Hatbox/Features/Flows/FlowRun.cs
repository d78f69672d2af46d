using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Flows;

/// <summary>
/// One run of one version of a flow (<c>analytics_id</c> is its id). While in progress, a node
/// works on it only while it holds the lease (<see cref="LeaseOwner"/> until
/// <see cref="LeaseUntil"/>), and no node takes it up before <see cref="WakeAt"/>.
/// </summary>
internal sealed class FlowRun
{
    public required string Id { get; init; }
    public required string FlowId { get; init; }
    public int FlowVersion { get; init; }
    public required string WorkspaceId { get; init; }
    public required string OrganizationId { get; init; }
    /// <summary>The key's creator: db steps act as this user, and metrics group by it.</summary>
    public required string UserId { get; init; }
    public required string KeyId { get; init; }
    public required string Status { get; set; }
    public required string Input { get; init; }
    public string? Output { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public string? ErrorStep { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>The flow's maximum: past it the run fails with <c>flow_timeout</c>.</summary>
    public DateTimeOffset Deadline { get; init; }
    public DateTimeOffset? WakeAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
}

/// <summary>A finished step of a run (or a <c>wait</c> that has begun: its deadline survives restarts).</summary>
internal sealed class FlowRunStep
{
    public required string RunId { get; init; }
    /// <summary>The step's JSON path in the document, with the item index inside <c>foreach</c>.</summary>
    public required string StepKey { get; init; }
    public required string StepId { get; init; }
    public required string Uses { get; init; }
    public required string Status { get; set; }
    public string? Input { get; set; }
    public string? Output { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public double DurationMs { get; set; }
    /// <summary>For <c>wait</c>: when it ends, fixed when it starts.</summary>
    public DateTimeOffset? WaitUntil { get; set; }
    /// <summary>Order of completion, for the timeline.</summary>
    public long Sequence { get; set; }
}

internal sealed class FlowRunConfiguration : IEntityTypeConfiguration<FlowRun>
{
    public void Configure(EntityTypeBuilder<FlowRun> run)
    {
        run.ToTable("flow_runs");
        run.HasKey(r => r.Id);
        run.HasIndex(r => new { r.WorkspaceId, r.CreatedAt });
        run.HasIndex(r => new { r.OrganizationId, r.CreatedAt });
        run.HasIndex(r => new { r.Status, r.WakeAt });
        run.HasIndex(r => new { r.FlowId, r.CreatedAt });
        run.Property(r => r.Status).HasMaxLength(20);
    }
}

internal sealed class FlowRunStepConfiguration : IEntityTypeConfiguration<FlowRunStep>
{
    public void Configure(EntityTypeBuilder<FlowRunStep> step)
    {
        step.ToTable("flow_run_steps");
        step.HasKey(s => new { s.RunId, s.StepKey });
        step.HasOne<FlowRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
