using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Plans;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Usage;

/// <summary>Usage reports and monthly statements from the metered rows, for <c>/v1</c>, the portal and the CLI.</summary>
internal sealed class UsageService(HatboxDbContext db, PlanCatalog plans, UsageRecorder recorder, IEnumerable<IUsageMetric> metrics)
{
    public static readonly ApiError InvalidMonth = ApiError.BadRequest(ErrorCodes.ParameterInvalid, "A month is written yyyy-MM, e.g. 2026-11.", "month");

    public async Task<UsageReport> ReportAsync(string organizationId, string month, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(organizationId, month, cancellationToken);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (BillingMonth.TryParse(month, out var start))
        {
            foreach (var metric in metrics)
            {
                counts[metric.Name] = await metric.CountAsync(organizationId, start, start.AddMonths(1), cancellationToken);
            }
        }
        return new UsageReport(organizationId, month, rows.Sum(r => r.Requests),
            Group(rows, r => r.Day), Group(rows, r => r.KeyId), Group(rows, r => r.EndpointGroup), Group(rows, r => r.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            counts);
    }

    public async Task<BillingStatement?> StatementAsync(string organizationId, string month, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == organizationId, cancellationToken);
        if (organization is null || !BillingMonth.TryParse(month, out var start))
        {
            return null;
        }
        var plan = plans.Get(organization.Plan);
        var used = (await RowsAsync(organizationId, month, cancellationToken)).Where(UsageDaily.IsBilled).Sum(r => r.Requests);
        var overage = plan.StopsAtQuota ? 0 : Math.Max(0, used - plan.RequestsPerMonth);
        var price = plan.OveragePricePer1000 ?? 0;
        var amount = Math.Round(overage * price / 1000m, 2, MidpointRounding.AwayFromZero);
        return new BillingStatement(organizationId, month, organization.Plan, plan.RequestsPerMonth, used, overage, price, amount, "usd",
            start, start.AddMonths(1));
    }

    async Task<List<UsageDaily>> RowsAsync(string organizationId, string month, CancellationToken cancellationToken)
    {
        // Whatever is still in memory counts too: a report right after a request includes it.
        await recorder.FlushAsync(cancellationToken);
        var prefix = month + "-";
        return await db.UsageDaily.AsNoTracking()
            .Where(u => u.OrganizationId == organizationId && u.Day.StartsWith(prefix)).ToListAsync(cancellationToken);
    }

    static List<UsageCount> Group(List<UsageDaily> rows, Func<UsageDaily, string> by) =>
        rows.GroupBy(by).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new UsageCount(g.Key, g.Sum(r => r.Requests), g.Sum(r => r.BytesIn), g.Sum(r => r.BytesOut))).ToList();
}
