namespace Hatbox.Features.Health;

/// <summary>The SDK's <c>HealthCheckResponse</c>: <c>status</c> is ok or degraded, <c>uptime</c> in seconds.</summary>
internal sealed record HealthResponse(
    bool Success, string Status, double Uptime, string Version, string Environment, DateTimeOffset Timestamp,
    HealthServices Services);

/// <summary>
/// Each store's state: <c>ok</c>, <c>down</c>, or <c>unused</c> (Redis when not configured).
/// <c>database</c> is the SDK's field and says what <c>platform</c> says. <c>vectors</c> names where
/// the search index's vectors are kept and searched: <c>pgvector</c> or <c>in-process</c>.
/// </summary>
internal sealed record HealthServices(string Database, string Platform, string Tenants, string Redis, string Storage, string Vectors);

/// <summary>The SDK's <c>GetServerInfoResponse</c>.</summary>
internal sealed record ServerInfoResponse(bool Success, string Name, string Version, string Environment, string ServerVersion);
