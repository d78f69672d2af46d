namespace Hatbox.Features.Usage;

/// <summary>Endpoint metadata naming the usage group a request counts in, when not its first path segment.</summary>
internal sealed record MeteringGroupMetadata(string Name);
