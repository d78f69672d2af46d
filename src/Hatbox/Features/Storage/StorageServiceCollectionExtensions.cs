using Hatbox.Data;
using Hatbox.Data.Postgres;
using Hatbox.Features.Plans;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<IOptions<StorageOptions>>().Value is { UsesS3: true } s3
            ? S3.S3BlobStore.Create(s3.S3, provider.GetRequiredService<TimeProvider>())
            : new LocalFolderBlobStore(Path.Combine(dataDirectory, provider.GetRequiredService<IOptions<StorageOptions>>().Value.LocalDirectory)));
        services.AddSingleton(provider =>
            provider.GetRequiredService<IOptions<StorageOptions>>().Value.UrlSigningKey is { } configured
                ? new DownloadSigningKey(DownloadSigningKey.Decode(configured)!)
                : provider.GetRequiredService<PlatformDatabase>() is { IsPostgres: true } shared
                    ? new DownloadSigningKey(SharedSecrets.GetOrCreate(shared, "url-signing-key", DownloadSigningKey.MinimumBytes))
                    : DownloadSigningKey.LoadOrCreate(Path.Combine(dataDirectory, "secrets", "url-signing.key")));
        // Tests register their own clock under this key first; only the download links follow it.
        services.TryAddKeyedSingleton(DownloadUrls.ClockKey, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.AddSingleton<PublicBaseUrl>();
        services.AddSingleton<DownloadUrls>();
        services.AddScoped<FileUploads>();
        services.AddSingleton<Hatbox.Features.Audit.CrossTenantDenials>();
        services.AddScoped<IStorageMeter, StoredFileMeter>();
        var builtAt = DateTimeOffset.UtcNow;
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<OrphanSweeper>(provider, builtAt));
        return services;
    }
}
