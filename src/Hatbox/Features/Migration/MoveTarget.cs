using Hatbox.Data;
using Hatbox.Features.Db;
using Hatbox.Features.Db.Postgres;
using Hatbox.Features.Storage;
using Hatbox.Hosting;

namespace Hatbox.Features.Migration;

/// <summary>
/// The scale-out stores a move goes to, read from a JSON file with the server's own keys
/// (<c>Platform:*</c>, <c>Tenants:*</c>, <c>Storage:*</c>) and <c>HATBOX__…</c> variables, as a node reads them.
/// All three must be the shared kind: a move to a half-embedded target would leave data behind.
/// </summary>
internal sealed record MoveTarget(PlatformOptions Platform, TenantStoreOptions Tenants, StorageOptions Storage, DbOptions Db)
{
    public static MoveTarget Load(string? configFile)
    {
        if (configFile is null || !File.Exists(configFile))
        {
            throw MoveFailure.Config("move-to needs --config FILE: a JSON file with Platform:*, Tenants:* and Storage:* of the scale-out stores.");
        }
        var builder = new ConfigurationBuilder();
        try
        {
            builder.AddHatboxSources(new ServeSettings(null, ConfigFile: configFile));
        }
        catch (InvalidDataException e)
        {
            throw MoveFailure.Config($"{configFile} is not valid JSON: {e.Message}");
        }
        var configuration = builder.Build();
        var target = new MoveTarget(
            configuration.GetSection(PlatformOptions.SectionName).Get<PlatformOptions>() ?? new(),
            configuration.GetSection(TenantStoreOptions.SectionName).Get<TenantStoreOptions>() ?? new(),
            configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new(),
            configuration.GetSection(DbOptions.SectionName).Get<DbOptions>() ?? new());
        if (!target.Platform.UsesPostgres || string.IsNullOrWhiteSpace(target.Platform.ConnectionString))
        {
            throw MoveFailure.Config("The target needs Platform:Provider postgres and Platform:ConnectionString.");
        }
        if (!target.Tenants.UsesPostgres || string.IsNullOrWhiteSpace(target.Tenants.ConnectionString))
        {
            throw MoveFailure.Config("The target needs Tenants:Provider postgres and Tenants:ConnectionString.");
        }
        if (!target.Storage.UsesS3 || string.IsNullOrWhiteSpace(target.Storage.S3.ServiceUrl) || string.IsNullOrWhiteSpace(target.Storage.S3.Bucket))
        {
            throw MoveFailure.Config("The target needs Storage:Provider s3, Storage:S3:ServiceUrl and Storage:S3:Bucket.");
        }
        foreach (var (name, connectionString) in new[] { ("Platform", target.Platform.ConnectionString!), ("Tenants", target.Tenants.ConnectionString!) })
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException e)
            {
                throw MoveFailure.Config($"{name}:ConnectionString is not an Npgsql connection string: {e.Message}");
            }
        }
        return target;
    }
}
