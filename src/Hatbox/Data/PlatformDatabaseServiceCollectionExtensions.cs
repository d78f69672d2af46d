using Hatbox.Features.ApiKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Hatbox.Data;

internal static class PlatformDatabaseServiceCollectionExtensions
{
    /// <summary>The platform's <see cref="HatboxDbContext"/> on the store <c>Platform:Provider</c> names.</summary>
    public static PlatformDatabase AddPlatformDatabase(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<PlatformOptions>().BindConfiguration(PlatformOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(PlatformOptions.SectionName).Get<PlatformOptions>() ?? new PlatformOptions();
        var database = new PlatformDatabase(dataDirectory, options);
        services.AddSingleton(database);
        services.AddDbContext<HatboxDbContext>((provider, db) => Configure(db, database)
            .AddInterceptors(provider.GetRequiredService<AccessChangeInterceptor>()));
        return database;
    }

    /// <summary>The provider, its migrations and (SQLite) durability settings; shared with the design-time factory.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder db, PlatformDatabase database)
    {
        if (database.IsPostgres)
        {
            db.UseNpgsql(database.ConnectionString);
        }
        else
        {
            db.UseSqlite(database.ConnectionString).AddInterceptors(new SqliteDurabilityInterceptor());
        }
        return db.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
    }
}
