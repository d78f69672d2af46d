using Hatbox.Features.Plans;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Provider is validated to "Local" for now; an S3 store is one more case here, not a change to the endpoints.
        services.AddSingleton<IBlobStore>(provider => new LocalFolderBlobStore(
            Path.Combine(dataDirectory, provider.GetRequiredService<IOptions<StorageOptions>>().Value.LocalDirectory)));
        services.AddSingleton(provider =>
            provider.GetRequiredService<IOptions<StorageOptions>>().Value.UrlSigningKey is { } configured
                ? new DownloadSigningKey(DownloadSigningKey.Decode(configured)!)
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
