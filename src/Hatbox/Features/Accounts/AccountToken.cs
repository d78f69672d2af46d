using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Accounts;

/// <summary>
/// A single-use secret sent to a person: an e-mail verification link, a password reset link, or a
/// sign-in handoff to a workspace host. Only its SHA-256 is stored, so a copy of the database opens
/// no account; <see cref="UsedAt"/> is set by one conditional update, so of two uses only one wins.
/// </summary>
internal sealed class AccountToken
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    /// <summary>One of <see cref="AccountTokenPurposes"/>: a token made for one purpose is worth nothing for another.</summary>
    public required string Purpose { get; init; }
    public required string TokenHash { get; init; }
    /// <summary>What the token is bound to: the address it verifies, or the host and browser a handoff is for.</summary>
    public required string Subject { get; init; }
    /// <summary>For a handoff, the session it carries over; signing out of that one ends what it made.</summary>
    public string? SessionId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<AccountToken>
{
    public void Configure(EntityTypeBuilder<AccountToken> token)
    {
        token.ToTable("account_tokens");
        token.HasKey(t => t.Id);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasIndex(t => new { t.UserId, t.Purpose });
        token.Property(t => t.Purpose).HasMaxLength(32);
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.Property(t => t.Subject).HasMaxLength(400);
        token.Property(t => t.SessionId).HasMaxLength(64);
        token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
