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

    /// <summary>
    /// Whether a workspace admin may move an organization onto this plan from the portal or <c>/v1</c>.
    /// Off unless configured: a plan nobody marked (a <c>staff</c> or partner tier) is the operator's to
    /// give, with <c>hatbox admin orgs set-plan</c>.
    /// </summary>
    public bool SelfService { get; set; }
    /// <summary>Flow runs an organization may start in a calendar month (UTC); none set means no cap.</summary>
    [Range(1, long.MaxValue)] public long? FlowRunsPerMonth { get; set; }

    public bool StopsAtQuota => OveragePricePer1000 is null;

    /// <summary>A plan with an overage price bills; a move onto one is recorded for billing.</summary>
    public bool IsPaid => OveragePricePer1000 is not null;
}
