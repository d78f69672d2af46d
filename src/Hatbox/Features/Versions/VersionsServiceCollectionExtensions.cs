namespace Hatbox.Features.Versions;

internal static class VersionsServiceCollectionExtensions
{
    /// <summary>What the CLI and the server share: pinning and upgrades.</summary>
    public static IServiceCollection AddVersions(this IServiceCollection services)
    {
        services.AddSingleton<ApiVersionPinning>();
        services.AddScoped<ApiVersionService>();
        return services;
    }

    /// <summary>The server's part: announcing new versions by e-mail at start.</summary>
    public static IServiceCollection AddVersionAnnouncements(this IServiceCollection services) =>
        services.AddSingleton<Common.Readiness.IPlatformStartupStep, VersionAnnouncer>();
}
