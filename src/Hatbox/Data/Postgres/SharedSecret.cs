using Microsoft.EntityFrameworkCore;

namespace Hatbox.Data.Postgres;

/// <summary>
/// A secret every node of a cluster must hold the same (the URL-signing key), kept in the platform
/// store so that nodes need no shared folder. Only on PostgreSQL: one embedded server keeps its
/// secrets in its data folder, as before.
/// </summary>
internal sealed class SharedSecret
{
    public required string Name { get; init; }

    public required byte[] Value { get; init; }

    public static void Map(ModelBuilder model) => model.Entity<SharedSecret>(secret =>
    {
        secret.ToTable("shared_secrets");
        secret.HasKey(s => s.Name);
        secret.Property(s => s.Name).HasMaxLength(64);
    });
}
