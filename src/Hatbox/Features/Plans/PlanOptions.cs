using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Plans;

/// <summary>
/// One plan from configuration (<c>Plans:&lt;name&gt;:…</c>). Plans are data, not code: add a paid tier
/// by adding a section. A plan without an overage price stops at its monthly quota.
/// </summary>
internal sealed class PlanOptions
{
    [Range(1, 1_000_000)] public int RequestsPerMinute { get; set; } = 60;

    [Range(1, long.MaxValue)] public long RequestsPerMonth { get; set; } = 10_000;

    [Range(1, long.MaxValue)] public long StorageBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Price per 1,000 requests past the monthly quota; null means the plan stops there (429).</summary>
    [Range(0, 1_000_000)] public decimal? OveragePricePer1000 { get; set; }

    /// <summary>Flow runs an organization may start in a calendar month (UTC); none set means no cap.</summary>
    [Range(1, long.MaxValue)] public long? FlowRunsPerMonth { get; set; }

    public bool StopsAtQuota => OveragePricePer1000 is null;
}
