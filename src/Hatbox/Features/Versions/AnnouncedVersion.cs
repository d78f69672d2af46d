using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Versions;

/// <summary>A version whose e-mail notice was queued. Its primary key makes "announce once" hold across nodes.</summary>
internal sealed class AnnouncedVersion
{
    public required string Name { get; init; }
    public DateTimeOffset AnnouncedAt { get; init; }
    public int Recipients { get; init; }
}

internal sealed class AnnouncedVersionConfiguration : IEntityTypeConfiguration<AnnouncedVersion>
{
    public void Configure(EntityTypeBuilder<AnnouncedVersion> version)
    {
        version.ToTable("announced_versions");
        version.HasKey(v => v.Name);
        version.Property(v => v.Name).HasMaxLength(32);
    }
}
