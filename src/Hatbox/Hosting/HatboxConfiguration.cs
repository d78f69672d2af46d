namespace Hatbox.Hosting;

/// <summary>
/// Configuration order of DESIGN.md §7, later wins: the shipped <c>appsettings.json</c>, the
/// <c>--config</c> file, <c>HATBOX__Section__Key</c> environment variables, then flags.
/// </summary>
internal static class HatboxConfiguration
{
    public const string EnvironmentPrefix = "HATBOX__";

    public static void AddHatboxSources(this IConfigurationBuilder configuration, ServeSettings settings)
    {
        if (settings.ConfigFile is not null)
        {
            configuration.AddJsonFile(Path.GetFullPath(settings.ConfigFile), optional: false, reloadOnChange: false);
        }
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddInMemoryCollection(settings.AsConfiguration());
    }
}
