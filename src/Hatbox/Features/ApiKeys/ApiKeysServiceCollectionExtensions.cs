using Microsoft.AspNetCore.Authentication;

namespace Hatbox.Features.ApiKeys;

internal static class ApiKeysServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<AccessChangeInterceptor>();
        services.AddSingleton<ApiKeyVerifier>();
        services.AddScoped<ApiKeyService>();
        services.AddHostedService<AccessChangeWatcher>();
        services.AddSingleton<KeyUsageRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<KeyUsageRecorder>());
        // No default scheme: only endpoints behind ApiPolicies.ApiKey pay for key checks, not /health.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiPolicies.ApiKey, ApiPolicies.Build());
        return services;
    }
}
