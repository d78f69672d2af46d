using Hatbox.Features.Db.Postgres;
using Hatbox.Features.Db.Sqlite;
using Hatbox.Features.Plans;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Db;

internal static class DbServiceCollectionExtensions
{
    /// <summary>The /db API on SQLite files under <paramref name="dataDirectory"/>/tenants.</summary>
    public static IServiceCollection AddDb(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<DbOptions>().BindConfiguration(DbOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(new TenantDatabasePaths(dataDirectory));
        services.AddSingleton<SqliteTenantDatabaseProvider>();
        services.AddOptions<TenantStoreOptions>().BindConfiguration(TenantStoreOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PostgresTenantDatabaseProvider>();
        // Tenants:Provider picks the engine; the endpoints only ever see the seam.
        services.AddSingleton<ITenantDatabaseProvider>(provider =>
            provider.GetRequiredService<IOptions<TenantStoreOptions>>().Value.UsesPostgres
                ? provider.GetRequiredService<PostgresTenantDatabaseProvider>()
                : provider.GetRequiredService<SqliteTenantDatabaseProvider>());
        services.AddSingleton<DbStorageGate>();
        services.AddScoped<IStorageMeter, TenantDatabaseMeter>();
        return services;
    }
}
