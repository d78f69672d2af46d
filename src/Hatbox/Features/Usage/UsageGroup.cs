namespace Hatbox.Features.Usage;

/// <summary>
/// Endpoint metadata that meters an endpoint in a group of its own instead of its path's first
/// segment: <c>/db/nl-query</c> is <c>nl-query</c>, not <c>db</c>.
/// </summary>
internal sealed record UsageGroup(string Name);
