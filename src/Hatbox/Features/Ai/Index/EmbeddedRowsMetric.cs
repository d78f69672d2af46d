using Hatbox.Data;
using Hatbox.Features.Usage;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Ai.Index;

/// <summary>
/// <c>embedded_rows</c>: rows the indexer embedded for an organization's workspaces in a month
/// (every environment). Counted in each index store with the vectors themselves, so the figure
/// moves with them and survives a crash; re-embedding after a model change counts again.
/// </summary>
internal sealed class EmbeddedRowsMetric(HatboxDbContext db, SearchIndexes indexes) : IUsageMetric
{
    public const string MetricName = "embedded_rows";

    public string Name => MetricName;

    // Index files count by calendar month, and the report always asks for one whole month.
    public async Task<long> CountAsync(string organizationId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var month = start.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var workspaces = await db.Workspaces.AsNoTracking().Where(w => w.OrganizationId == organizationId).Select(w => w.Id).ToListAsync(cancellationToken);
        long rows = 0;
        foreach (var workspace in workspaces)
            rows += await indexes.EmbeddedRowsInAsync(workspace, month, cancellationToken);
        return rows;
    }
}
