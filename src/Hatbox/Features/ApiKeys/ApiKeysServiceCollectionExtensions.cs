namespace Hatbox.Features.ApiKeys;

internal static class ApiKeysServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<AccessChangeInterceptor>();
        services.AddSingleton<ApiKeyVerifier>();
        services.AddSingleton<ApiKeyStage>();
        services.AddScoped<ApiKeyService>();
        services.AddHostedService<AccessChangeWatcher>();
        services.AddSingleton<KeyUsageRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<KeyUsageRecorder>());
        return services;
    }
}
