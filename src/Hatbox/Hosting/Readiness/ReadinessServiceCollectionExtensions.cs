using Hatbox.Common.Readiness;

namespace Hatbox.Hosting.Readiness;

internal static class ReadinessServiceCollectionExtensions
{
    /// <summary>
    /// The node's readiness and the start-up that brings it about. Registered after every other hosted
    /// service, so it starts last (the steps it runs belong to services that are started by then) and stops first.
    /// </summary>
    public static IServiceCollection AddPlatformStartup(this IServiceCollection services)
    {
        services.AddSingleton<PlatformReadiness>();
        services.AddHostedService<PlatformStartup>();
        return services;
    }

    /// <summary>Refuses requests until the node is ready; after the request id, HTTPS check and static assets.</summary>
    public static IApplicationBuilder UseNotReadyGate(this IApplicationBuilder app) => app.UseMiddleware<NotReadyGate>();
}
