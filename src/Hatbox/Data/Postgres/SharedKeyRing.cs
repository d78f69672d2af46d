using Microsoft.AspNetCore.DataProtection;

namespace Hatbox.Data.Postgres;

internal static class SharedKeyRing
{
    /// <summary>
    /// Cookie and antiforgery keys: in the platform store when it is PostgreSQL (every node reads the
    /// same ring, so a session made by one node is valid on all), else in the data folder.
    /// </summary>
    public static IDataProtectionBuilder PersistKeysToPlatform(this IDataProtectionBuilder builder, IConfiguration configuration, string dataDirectory)
    {
        var platform = configuration.GetSection(PlatformOptions.SectionName).Get<PlatformOptions>() ?? new PlatformOptions();
        return platform.UsesPostgres
            ? builder.PersistKeysToDbContext<HatboxDbContext>()
            : builder.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
    }
}
