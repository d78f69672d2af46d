using Hatbox.Common.Errors;
using Hatbox.Common.Json;
using Hatbox.Common.Readiness;
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
        // Singletons, found once here instead of in the request's services on every call:
        // monitors and load balancers call /health far more often than anything else.
        var server = app.ServiceProvider.GetRequiredService<ServerIdentity>();
        var probe = app.ServiceProvider.GetRequiredService<PlatformDatabaseProbe>();
        var stores = app.ServiceProvider.GetRequiredService<StoreHealth>();
        var time = app.ServiceProvider.GetRequiredService<TimeProvider>();
        var indexes = app.ServiceProvider.GetRequiredService<Ai.Index.SearchIndexes>();
        var readiness = app.ServiceProvider.GetRequiredService<PlatformReadiness>();
        app.MapGet("/", () => GetServerInfo(server)).WithName("GetServerInfo").WithTags("Health");
        app.MapGet("/health", () => CheckHealth(server, probe, readiness, stores, time, indexes)).WithName("CheckHealth").WithTags("Health");
        return app;
    }

    static JsonHttpResult<ServerInfoResponse> GetServerInfo(ServerIdentity server) =>
        TypedResults.Json(
            new ServerInfoResponse(true, ServerIdentity.Name, ServerIdentity.CurrentApiVersion, server.Environment, server.ServerVersion),
            HatboxJsonContext.Default.ServerInfoResponse);

    static JsonHttpResult<HealthResponse> CheckHealth(
        ServerIdentity server, PlatformDatabaseProbe probe, PlatformReadiness readiness, StoreHealth stores, TimeProvider time,
        Ai.Index.SearchIndexes indexes)
    {
        // A node that has not reached its platform store yet (or not migrated it) serves nothing: down, from the first answer on.
        var platformOk = probe.IsHealthy && readiness.IsReady;
        var platform = platformOk ? StoreHealth.Ok : StoreHealth.Down;
        // Tenants on SQLite are files next to the platform's: they answer when it does.
        var tenants = stores.StateOf(StoreNames.Tenants) is StoreHealth.Unused ? platform : stores.StateOf(StoreNames.Tenants);
        var storage = stores.StateOf(StoreNames.Storage) is StoreHealth.Unused ? StoreHealth.Ok : stores.StateOf(StoreNames.Storage);
        var response = new HealthResponse(
            Success: true,
            Status: platformOk && stores.AllAnswering ? "ok" : "degraded",
            Uptime: Math.Round(server.Uptime.TotalSeconds, 3),
            Version: ServerIdentity.CurrentApiVersion,
            Environment: server.Environment,
            Timestamp: time.GetUtcNow(),
            Services: new HealthServices(platform, platform, tenants, stores.StateOf(StoreNames.Redis), storage, indexes.VectorEngine));
        return TypedResults.Json(response, HatboxJsonContext.Default.HealthResponse);
    }
}
