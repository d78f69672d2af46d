using Hatbox.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Flows;

/// <summary>
/// Runs started per organization, UTC month, workspace and flow, counted in the transaction that
/// creates each run. The monthly cap, <c>flow_runs</c> in usage and the portal's "runs this month"
/// read these rows, never the run history, which <see cref="FlowOptions.HistoryDays"/> trims: a
/// month's count must not shrink when its first days' runs are swept.
/// </summary>
internal sealed class FlowRunCount
{
    public required string OrganizationId { get; init; }
    /// <summary><c>yyyy-MM</c>, the billing month (<see cref="Usage.BillingMonth"/>).</summary>
    public required string Month { get; init; }
    public required string WorkspaceId { get; init; }
    public required string FlowId { get; init; }
    public long Runs { get; set; }

    /// <summary>
    /// Adds one run in the caller's transaction. One upsert statement, the same on SQLite and
    /// PostgreSQL, so concurrent triggers on any number of nodes each add exactly one.
    /// </summary>
    public static Task AddOneAsync(HatboxDbContext db, FlowRun run, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO flow_run_counts ("OrganizationId", "Month", "WorkspaceId", "FlowId", "Runs")
            VALUES ({run.OrganizationId}, {Usage.BillingMonth.Of(run.CreatedAt)}, {run.WorkspaceId}, {run.FlowId}, 1)
            ON CONFLICT ("OrganizationId", "Month", "WorkspaceId", "FlowId") DO UPDATE SET "Runs" = flow_run_counts."Runs" + 1
            """, cancellationToken);

    /// <summary>The organization's runs started in the months from <paramref name="start"/> up to, not including, <paramref name="end"/>'s.</summary>
    public static async Task<long> OfOrganizationAsync(HatboxDbContext db, string organizationId, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        var from = Usage.BillingMonth.Of(start);
        var until = Usage.BillingMonth.Of(end);
        return await db.FlowRunCounts.Where(c => c.OrganizationId == organizationId
                && string.Compare(c.Month, from) >= 0 && string.Compare(c.Month, until) < 0)
            .SumAsync(c => (long?)c.Runs, cancellationToken) ?? 0;
    }
}

internal sealed class FlowRunCountConfiguration : IEntityTypeConfiguration<FlowRunCount>
{
    public void Configure(EntityTypeBuilder<FlowRunCount> count)
    {
        count.ToTable("flow_run_counts");
        count.HasKey(c => new { c.OrganizationId, c.Month, c.WorkspaceId, c.FlowId });
        count.Property(c => c.Month).HasMaxLength(7);
    }
}
