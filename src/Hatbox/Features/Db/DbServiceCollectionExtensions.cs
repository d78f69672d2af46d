using Hatbox.Features.Db.Sqlite;
using Hatbox.Features.Plans;

namespace Hatbox.Features.Db;

internal static class DbServiceCollectionExtensions
{
    /// <summary>The /db API on SQLite files under <paramref name="dataDirectory"/>/tenants.</summary>
    public static IServiceCollection AddDb(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<DbOptions>().BindConfiguration(DbOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(new TenantDatabasePaths(dataDirectory));
        services.AddSingleton<SqliteTenantDatabaseProvider>();
        services.AddSingleton<ITenantChangeFeed, TenantChangeFeed>();
        services.AddSingleton<ITenantDatabaseProvider>(provider => new ChangeFeedTenantDatabaseProvider(
            provider.GetRequiredService<SqliteTenantDatabaseProvider>(), provider.GetRequiredService<ITenantChangeFeed>()));
        services.AddSingleton<DbStorageGate>();
        services.AddScoped<IStorageMeter, TenantDatabaseMeter>();
        return services;
    }
}
