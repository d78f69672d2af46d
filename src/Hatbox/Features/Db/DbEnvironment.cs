namespace Hatbox.Features.Db;

/// <summary>Every workspace's data exists once per environment, isolated (DESIGN.md §2).</summary>
internal enum DbEnvironment
{
    Production,
    Staging,
    Development,
}

internal static class DbEnvironments
{
    public const string ParameterName = "environment";

    /// <summary>Absent means production; anything but the three names is refused, never guessed.</summary>
    public static bool TryParse(string? value, out DbEnvironment environment)
    {
        environment = DbEnvironment.Production;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }
        DbEnvironment? parsed = value.ToLowerInvariant() switch
        {
            "production" => DbEnvironment.Production,
            "staging" => DbEnvironment.Staging,
            "development" => DbEnvironment.Development,
            _ => null,
        };
        environment = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    /// <summary>The lower-case name, as requests spell it and as the database file is named.</summary>
    public static string Name(this DbEnvironment environment) => environment switch
    {
        DbEnvironment.Staging => "staging",
        DbEnvironment.Development => "development",
        _ => "production",
    };
}
