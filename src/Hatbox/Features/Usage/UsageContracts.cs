namespace Hatbox.Features.Usage;

internal sealed record UsageCount(string Name, long Requests, long BytesIn, long BytesOut);

internal sealed record UsageReport(
    string OrganizationId, string Month, long Requests,
    IReadOnlyList<UsageCount> ByDay, IReadOnlyList<UsageCount> ByKey, IReadOnlyList<UsageCount> ByEndpoint, IReadOnlyList<UsageCount> ByStatus,
    IReadOnlyDictionary<string, long>? Metrics = null);

/// <summary>A month's bill: requests included in the plan, used, past the quota, and what the overage costs.</summary>
internal sealed record BillingStatement(
    string OrganizationId, string Month, string Plan, long Included, long Used, long Overage, decimal OveragePricePer1000, decimal Amount,
    string Currency, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd);
