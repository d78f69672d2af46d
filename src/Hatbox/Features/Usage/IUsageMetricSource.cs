namespace Hatbox.Features.Usage;

/// <summary>
/// A feature that meters something besides requests (the AI indexer's embedded rows); the usage
/// report lists what every registered source counts for the organization and month.
/// </summary>
internal interface IUsageMetricSource
{
    Task<IReadOnlyList<UsageMetric>> MetricsAsync(string organizationId, string month, CancellationToken cancellationToken);
}
