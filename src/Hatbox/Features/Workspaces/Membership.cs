using Hatbox.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Workspaces;

/// <summary>
/// A user in a workspace. The API Tokens screen and every key the user made need
/// <c>Role &gt;= Developer</c> and <see cref="ApiAccess"/>, which only admins switch.
/// </summary>
internal sealed class Membership
{
    public required string WorkspaceId { get; init; }
    public required string UserId { get; init; }
    public WorkspaceRole Role { get; set; }
    public bool ApiAccess { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    public bool CanUseApi => Role >= WorkspaceRole.Developer && ApiAccess;
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> membership)
    {
        membership.ToTable("memberships");
        membership.HasKey(m => new { m.WorkspaceId, m.UserId });
        membership.HasIndex(m => m.UserId);
        membership.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        membership.HasOne<Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId);
        membership.HasOne<User>().WithMany().HasForeignKey(m => m.UserId);
    }
}
