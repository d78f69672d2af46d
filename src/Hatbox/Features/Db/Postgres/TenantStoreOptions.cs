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

    /// <summary>
    /// Where the AI search index's companion schemas live, when not beside the tenants'
    /// (<see cref="ConnectionString"/>): e.g. a server that has pgvector while the tenants' has not.
    /// </summary>
    public string? IndexConnectionString { get; set; }

    /// <summary>Connections one tenant may hold on one node (the size of its pool there).</summary>
    [Range(1, 100)] public int MaxConnectionsPerTenant { get; set; } = 4;

    /// <summary>
    /// Connections one tenant role may hold on the server, all nodes together (its <c>CONNECTION
    /// LIMIT</c>). Must be at least nodes × <see cref="MaxConnectionsPerTenant"/>: when it was the
    /// per-node figure, a second node's connections were refused while the first's pool was full.
    /// </summary>
    [Range(1, 10_000)] public int MaxServerConnectionsPerTenant { get; set; } = 32;

    public bool UsesPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Tenants:Provider is postgres: set Tenants:ConnectionString.", [nameof(ConnectionString)]);
        }
        if (MaxServerConnectionsPerTenant < MaxConnectionsPerTenant)
        {
            yield return new ValidationResult("Tenants:MaxServerConnectionsPerTenant must be at least Tenants:MaxConnectionsPerTenant.",
                [nameof(MaxServerConnectionsPerTenant)]);
        }
    }
}
