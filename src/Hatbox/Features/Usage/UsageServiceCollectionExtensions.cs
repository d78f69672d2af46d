using Hatbox.Common.Redis;
using Hatbox.Features.RateLimits;

namespace Hatbox.Features.Usage;

internal static class UsageServiceCollectionExtensions
{
    /// <summary>
    /// Rate limits, the monthly quota and metering. The counters live in this process (exact on one node)
    /// unless <c>Redis:Configuration</c> is set; then in Redis, shared by every node.
    /// </summary>
    public static IServiceCollection AddUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var redis = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (redis.Enabled)
        {
            services.AddSingleton<RedisConnection>();
            services.AddHostedService(provider => provider.GetRequiredService<RedisConnection>());
            services.AddSingleton<IRateLimitStore, RedisRateLimitStore>();
            services.AddSingleton<RedisQuotaCounter>();
            services.AddSingleton<IQuotaCounter>(provider => provider.GetRequiredService<RedisQuotaCounter>());
            services.AddSingleton<IAdmissionCounter, RedisAdmissionCounter>();
        }
        else
        {
            services.AddSingleton<IRateLimitStore, InProcessRateLimitStore>();
            services.AddSingleton<IQuotaCounter, InProcessQuotaCounter>();
            services.AddSingleton<IAdmissionCounter, SeparateAdmissionCounter>();
        }
        services.AddSingleton<AdmissionStage>();
        services.AddSingleton<MeteringStage>();
        services.AddSingleton<QuotaNotices>();
        services.AddSingleton<UsageWriter>();
        var server = configuration.GetSection(Hosting.ServerOptions.SectionName).Get<Hosting.ServerOptions>() ?? new Hosting.ServerOptions();
        services.AddSingleton(_ => new UsageJournal(Path.Combine(Path.GetFullPath(server.DataDirectory), "usage-journal")));
        services.AddSingleton<UsageRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<UsageRecorder>());
        services.AddSingleton<Common.Readiness.IPlatformStartupStep>(provider => provider.GetRequiredService<UsageRecorder>());
        services.AddScoped<UsageService>();
        return services;
    }
}
