using Hatbox.Data;
using Hatbox.Features.Usage;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// <c>embedded_rows</c>: rows the indexer embedded for an organization's workspaces in a month
/// (every environment). Counted in each index file with the vectors themselves, so the figure
/// moves with them and survives a crash; re-embedding after a model change counts again.
/// </summary>
internal sealed class EmbeddedRowsMetric(HatboxDbContext db, SearchIndexes indexes) : IUsageMetricSource
{
    public const string Name = "embedded_rows";

    public async Task<IReadOnlyList<UsageMetric>> MetricsAsync(string organizationId, string month, CancellationToken cancellationToken)
    {
        var workspaces = await db.Workspaces.AsNoTracking().Where(w => w.OrganizationId == organizationId).Select(w => w.Id).ToListAsync(cancellationToken);
        return [new UsageMetric(Name, workspaces.Sum(w => indexes.EmbeddedRowsIn(w, month)))];
    }
}
