using Hatbox.Features.Ai.Index.Postgres;
using Hatbox.Features.Ai.Index.Sqlite;
using Hatbox.Features.Db.Postgres;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.Index;

internal static class IndexStoreServices
{
    /// <summary>The index stores beside the tenants' data: the engine <c>Tenants:Provider</c> names, as for <c>/db</c>.</summary>
    public static IServiceCollection AddSearchIndexStores(this IServiceCollection services)
    {
        services.AddSingleton<SqliteIndexStores>();
        services.AddSingleton<PostgresIndexStores>();
        services.AddSingleton<IIndexStores>(provider => provider.GetRequiredService<IOptions<TenantStoreOptions>>().Value.UsesPostgres
            ? provider.GetRequiredService<PostgresIndexStores>()
            : provider.GetRequiredService<SqliteIndexStores>());
        services.AddOptions<TombstoneOptions>().BindConfiguration(TombstoneOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<TombstonePruner>();
        return services;
    }
}
