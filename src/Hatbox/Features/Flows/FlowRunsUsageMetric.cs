using Hatbox.Data;
using Hatbox.Features.Usage;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Flows;

/// <summary>
/// <c>flow_runs</c> in the organization's usage: the runs started in the month, the same count the
/// plan's <c>FlowRunsPerMonth</c> cap is checked against (<see cref="FlowTriggers"/>).
/// </summary>
internal sealed class FlowRunsUsageMetric(HatboxDbContext db) : IUsageMetric
{
    public string Name => "flow_runs";

    public Task<long> CountAsync(string organizationId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        db.FlowRuns.Where(r => r.OrganizationId == organizationId && r.CreatedAt >= start && r.CreatedAt < end).LongCountAsync(cancellationToken);
}
