using Hatbox.Features.Db.Postgres;
using Hatbox.Features.Db.Sqlite;
using Hatbox.Features.Plans;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Db;

internal static class DbServiceCollectionExtensions
{
    /// <summary>The /db API on the engine <c>Tenants:Provider</c> names: SQLite files under <paramref name="dataDirectory"/>/tenants, or PostgreSQL.</summary>
    public static IServiceCollection AddDb(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<DbOptions>().BindConfiguration(DbOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(new TenantDatabasePaths(dataDirectory));
        services.AddSingleton<SqliteTenantDatabaseProvider>();
        services.AddOptions<TenantStoreOptions>().BindConfiguration(TenantStoreOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PostgresTenantDatabaseProvider>();
        services.AddSingleton<ITenantChangeFeed, TenantChangeFeed>();
        // Tenants:Provider picks the engine; the endpoints only ever see the seam, and every write
        // through it reaches the change feed (the AI indexer's), whichever engine ran it.
        services.AddSingleton<ITenantDatabaseProvider>(provider => new ChangeFeedTenantDatabaseProvider(
            provider.GetRequiredService<IOptions<TenantStoreOptions>>().Value.UsesPostgres
                ? new SpaceReclaimingTenantDatabaseProvider(provider.GetRequiredService<PostgresTenantDatabaseProvider>(),
                    provider.GetRequiredService<PostgresSpaceReclaimer>())
                : provider.GetRequiredService<SqliteTenantDatabaseProvider>(),
            provider.GetRequiredService<ITenantChangeFeed>()));
        services.AddSingleton<DbStorageGate>();
        // Deletes give space back on PostgreSQL too (VACUUM in the background, see the class).
        services.AddSingleton<PostgresSpaceReclaimer>();
        services.AddHostedService(provider => provider.GetRequiredService<PostgresSpaceReclaimer>());
        services.AddSingleton<DbAdmission>();
        services.AddSingleton<DbAdmissionFilter>();
        // The tenant databases' share of the storage quota, measured as the engine stores them.
        services.AddScoped<TenantDatabaseMeter>();
        services.AddScoped<PostgresSchemaMeter>();
        services.AddScoped<IStorageMeter>(provider => provider.GetRequiredService<IOptions<TenantStoreOptions>>().Value.UsesPostgres
            ? provider.GetRequiredService<PostgresSchemaMeter>()
            : provider.GetRequiredService<TenantDatabaseMeter>());
        return services;
    }
}
