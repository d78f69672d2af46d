namespace Hatbox.Features.Usage;

/// <summary>
/// A monthly count that another feature keeps in its own tables (e.g. <c>flow_runs</c>), shown in an
/// organization's usage report under <c>metrics</c>. Features register theirs; Usage only reads them.
/// </summary>
internal interface IUsageMetric
{
    /// <summary>The name in the report, snake_case.</summary>
    string Name { get; }

    /// <summary>The organization's count from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    Task<long> CountAsync(string organizationId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);
}
