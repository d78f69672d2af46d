using Hatbox.Features.RateLimits;

namespace Hatbox.Features.Usage;

internal static class UsageServiceCollectionExtensions
{
    /// <summary>Rate limits, the monthly quota and metering, with in-process stores (one node).</summary>
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.AddSingleton<IRateLimitStore, InProcessRateLimitStore>();
        services.AddSingleton<IQuotaCounter, InProcessQuotaCounter>();
        services.AddSingleton<QuotaNotices>();
        services.AddSingleton<UsageRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<UsageRecorder>());
        services.AddScoped<UsageService>();
        return services;
    }
}
