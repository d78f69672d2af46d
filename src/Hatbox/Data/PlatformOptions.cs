using System.ComponentModel.DataAnnotations;

namespace Hatbox.Data;

/// <summary><c>Platform:*</c>: where the platform's own tables live (DESIGN.md §6).</summary>
internal sealed class PlatformOptions : IValidatableObject
{
    public const string SectionName = "Platform";

    /// <summary><c>sqlite</c> (the embedded <c>data/hatbox.db</c>) or <c>postgres</c> (<see cref="ConnectionString"/>), shared by every node.</summary>
    [Required, AllowedValues("sqlite", "Sqlite", "postgres", "Postgres")] public string Provider { get; set; } = "sqlite";

    /// <summary>The Npgsql connection string when <see cref="Provider"/> is <c>postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    public bool UsesPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Platform:Provider is postgres: set Platform:ConnectionString.", [nameof(ConnectionString)]);
        }
    }
}
