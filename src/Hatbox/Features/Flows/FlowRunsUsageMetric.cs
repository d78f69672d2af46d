using Hatbox.Data;
using Hatbox.Features.Usage;

namespace Hatbox.Features.Flows;

/// <summary>
/// <c>flow_runs</c> in the organization's usage: the runs started in the month, the same count the
/// plan's <c>FlowRunsPerMonth</c> cap is checked against (<see cref="FlowTriggers"/>), from
/// <see cref="FlowRunCount"/> rather than the history, so sweeping old runs changes neither.
/// </summary>
internal sealed class FlowRunsUsageMetric(HatboxDbContext db) : IUsageMetric
{
    public string Name => "flow_runs";

    public Task<long> CountAsync(string organizationId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        FlowRunCount.OfOrganizationAsync(db, organizationId, start, end, cancellationToken);
}
