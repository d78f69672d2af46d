using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Accounts;

/// <summary>A person who signs in to the portal. <see cref="Email"/> is stored lower-cased and is unique.</summary>
internal sealed class User
{
    public required string Id { get; init; }
    public required string Email { get; set; }
    public required string Name { get; set; }
    public required string PasswordHash { get; set; }
    public int FailedSignIns { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public bool NotifyNewVersions { get; set; }
    /// <summary>When the owner proved the address (a link sent to it, or a provider's verified claim); null until then.</summary>
    public DateTimeOffset? EmailVerifiedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.ToTable("users");
        user.HasKey(u => u.Id);
        user.HasIndex(u => u.Email).IsUnique();
        user.Property(u => u.Email).HasMaxLength(320);
        user.Property(u => u.Name).HasMaxLength(200);
    }
}
