using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Workspaces;

/// <summary>An invitation by e-mail address, accepted when that address signs up or signs in.</summary>
internal sealed class Invitation
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Email { get; init; }
    public WorkspaceRole Role { get; init; }
    public required string InvitedByUserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> invitation)
    {
        invitation.ToTable("invitations");
        invitation.HasKey(i => i.Id);
        invitation.HasIndex(i => new { i.Email, i.AcceptedAt });
        invitation.Property(i => i.Role).HasConversion<string>().HasMaxLength(16);
        invitation.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId);
    }
}
