using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Accounts;

/// <summary>
/// A signed-in browser. The cookie only names the row; every request checks that the row still
/// exists, so signing out (deleting it) makes a copied cookie worthless at once.
/// </summary>
internal sealed class Session
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Slides with use, like the cookie, but is enforced here so an idle session ends even if the cookie is kept.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>
    /// The session this one was handed off from (null for a sign-in itself): signing out of any
    /// of them ends the sign-in and every session handed off from it, on every host.
    /// </summary>
    public string? SignInId { get; init; }
}

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> session)
    {
        session.ToTable("sessions");
        session.HasKey(s => s.Id);
        session.HasIndex(s => s.UserId);
        session.HasIndex(s => s.SignInId);
        session.Property(s => s.SignInId).HasMaxLength(64);
        session.Property(s => s.Id).HasMaxLength(64);
        session.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
