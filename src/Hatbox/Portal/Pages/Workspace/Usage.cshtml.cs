using Hatbox.Features.ApiKeys;
using Hatbox.Features.Organizations;
using Hatbox.Features.Usage;
using Hatbox.Features.Workspaces;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// The organization's usage this month (requests per day as a chart, by key and by endpoint) and
/// its statement. Billing belongs to the organization, so only its admins see it, as in <c>/v1</c>.
/// </summary>
internal sealed class UsageModel(
    WorkspaceService workspaces, WorkspaceHosts hosts, OrganizationAccess access, UsageService usage, ApiKeyService keys,
    TimeProvider time)
    : WorkspacePage(workspaces, hosts)
{
    public bool Allowed { get; private set; }

    public string Month { get; private set; } = "";

    public UsageReport Report { get; private set; } = null!;

    public BillingStatement Statement { get; private set; } = null!;

    /// <summary>Every day of the month with its requests, zero included, so the chart has no gaps.</summary>
    public List<UsageCount> Days { get; private set; } = [];

    public Dictionary<string, string> KeyNames { get; private set; } = [];

    public async Task OnGetAsync(string? month, CancellationToken ct)
    {
        if (await access.RequireAdminAsync(Me.UserId, Workspace.OrganizationId, ct) is not null)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        Allowed = true;
        var start = BillingMonth.TryParse(month, out var asked) ? asked : BillingMonth.NextReset(time.GetUtcNow()).AddMonths(-1);
        Month = BillingMonth.Of(start);
        Report = await usage.ReportAsync(Workspace.OrganizationId, Month, ct);
        Statement = (await usage.StatementAsync(Workspace.OrganizationId, Month, ct))!;
        KeyNames = (await keys.ListAsync(Workspace.Id, ct)).ToDictionary(k => k.Id, k => $"{k.Name} ({k.Hint})");
        var counted = Report.ByDay.ToDictionary(d => d.Name);
        for (var day = start; day < start.AddMonths(1); day = day.AddDays(1))
        {
            var name = BillingMonth.Day(day);
            Days.Add(counted.GetValueOrDefault(name) ?? new UsageCount(name, 0, 0, 0));
        }
    }
}
