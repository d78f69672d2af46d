using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Db.Postgres;

/// <summary><c>Tenants:*</c>: where the workspaces' own databases live (DESIGN.md §6).</summary>
internal sealed class TenantStoreOptions : IValidatableObject
{
    public const string SectionName = "Tenants";

    /// <summary><c>sqlite</c> (a file per workspace × environment) or <c>postgres</c> (a schema and a login role each).</summary>
    [Required, AllowedValues("sqlite", "Sqlite", "postgres", "Postgres")] public string Provider { get; set; } = "sqlite";

    /// <summary>A login that may create roles and schemas in its database; each tenant then connects as its own role.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Connections one tenant role may hold, per node and on the server (<c>CONNECTION LIMIT</c>).</summary>
    [Range(1, 100)] public int MaxConnectionsPerTenant { get; set; } = 4;

    public bool UsesPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Tenants:Provider is postgres: set Tenants:ConnectionString.", [nameof(ConnectionString)]);
        }
    }
}
