using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Accounts.External;

/// <summary>An account at Google or Microsoft linked to a Hatbox user: the provider's subject id, never its e-mail, names it.</summary>
internal sealed class ExternalLogin
{
    public required string Provider { get; init; }
    public required string Subject { get; init; }
    public required string UserId { get; init; }
    /// <summary>The address the provider gave when the link was made, for the user's own record.</summary>
    public required string Email { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class ExternalLoginConfiguration : IEntityTypeConfiguration<ExternalLogin>
{
    public void Configure(EntityTypeBuilder<ExternalLogin> login)
    {
        login.ToTable("external_logins");
        login.HasKey(l => new { l.Provider, l.Subject });
        login.HasIndex(l => l.UserId);
        login.Property(l => l.Provider).HasMaxLength(32);
        login.Property(l => l.Subject).HasMaxLength(255);
        login.Property(l => l.Email).HasMaxLength(320);
        login.HasOne<User>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
