namespace Hatbox.Features.Domains;

internal static class DomainsServiceCollectionExtensions
{
    public static IServiceCollection AddDomains(this IServiceCollection services)
    {
        services.AddScoped<DomainService>();
        services.AddSingleton<DomainCache>();
        services.AddSingleton<OriginStage>();
        return services;
    }
}
