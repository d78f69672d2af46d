using Hatbox.Common.Json;
using Hatbox.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Health;

/// <summary>
/// <c>GET /</c> and <c>GET /health</c>: no key needed, and nothing about tenants in the answer.
/// Health reads the probe's last result instead of touching the database, so a flood of health
/// checks costs the database nothing.
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", GetServerInfo).WithName("GetServerInfo").WithTags("Health");
        app.MapGet("/health", CheckHealth).WithName("CheckHealth").WithTags("Health");
        return app;
    }

    static JsonHttpResult<ServerInfoResponse> GetServerInfo(ServerIdentity server) =>
        TypedResults.Json(
            new ServerInfoResponse(true, ServerIdentity.Name, ServerIdentity.CurrentApiVersion, server.Environment, server.ServerVersion),
            HatboxJsonContext.Default.ServerInfoResponse);

    static JsonHttpResult<HealthResponse> CheckHealth(ServerIdentity server, PlatformDatabaseProbe probe, TimeProvider time)
    {
        var database = probe.IsHealthy ? "ok" : "down";
        var response = new HealthResponse(
            Success: true,
            Status: probe.IsHealthy ? "ok" : "degraded",
            Uptime: Math.Round(server.Uptime.TotalSeconds, 3),
            Version: ServerIdentity.CurrentApiVersion,
            Environment: server.Environment,
            Timestamp: time.GetUtcNow(),
            Services: new HealthServices(database));
        return TypedResults.Json(response, HatboxJsonContext.Default.HealthResponse);
    }
}
