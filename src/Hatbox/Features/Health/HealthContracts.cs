namespace Hatbox.Features.Health;

/// <summary>The SDK's <c>HealthCheckResponse</c>: <c>status</c> is ok or degraded, <c>uptime</c> in seconds.</summary>
internal sealed record HealthResponse(
    bool Success, string Status, double Uptime, string Version, string Environment, DateTimeOffset Timestamp,
    HealthServices Services);

internal sealed record HealthServices(string Database);

/// <summary>The SDK's <c>GetServerInfoResponse</c>.</summary>
internal sealed record ServerInfoResponse(bool Success, string Name, string Version, string Environment, string ServerVersion);
