using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Ai.Chat;

/// <summary>Tokens a chat provider reported, per organization, UTC day, feature and model.</summary>
internal sealed class ChatTokenUsage
{
    public required string OrganizationId { get; init; }
    /// <summary><c>yyyy-MM-dd</c>, UTC, as in usage_daily.</summary>
    public required string Day { get; init; }
    /// <summary>The endpoint group that asked: <c>nl-query</c>, <c>cluster</c>.</summary>
    public required string Feature { get; init; }
    public required string Model { get; init; }
    public long Calls { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
}

internal sealed class ChatTokenUsageConfiguration : IEntityTypeConfiguration<ChatTokenUsage>
{
    public void Configure(EntityTypeBuilder<ChatTokenUsage> usage)
    {
        usage.ToTable("chat_token_usage");
        usage.HasKey(u => new { u.OrganizationId, u.Day, u.Feature, u.Model });
        usage.Property(u => u.Day).HasMaxLength(10);
        usage.Property(u => u.Feature).HasMaxLength(32);
        usage.Property(u => u.Model).HasMaxLength(200);
    }
}
