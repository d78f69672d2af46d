using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Usage;

/// <summary>
/// Requests counted per organization, workspace, key, UTC day, endpoint group and status class
///, with bytes and time. Billing adds up an organization's month.
/// </summary>
internal sealed class UsageDaily
{
    public required string OrganizationId { get; init; }
    public required string WorkspaceId { get; init; }
    public required string KeyId { get; init; }
    /// <summary><c>yyyy-MM-dd</c>, UTC; its first seven characters are the billing month.</summary>
    public required string Day { get; init; }
    public required string EndpointGroup { get; init; }
    public int StatusCode { get; init; }
    public long Requests { get; set; }
    public long BytesIn { get; set; }
    public long BytesOut { get; set; }
    public double DurationMs { get; set; }

    /// <summary>
    /// The rows that are billed and count toward the quota: requests refused for rate or quota (429)
    /// and those the platform could not serve (503: Redis or the database unavailable) are metered only.
    /// </summary>
    public static readonly Expression<Func<UsageDaily, bool>> Billed = u => u.StatusCode != 429 && u.StatusCode != 503;

    public static readonly Func<UsageDaily, bool> IsBilled = Billed.Compile();

    /// <summary><see cref="Billed"/> for one request's status.</summary>
    public static bool IsBilledStatus(int status) => status is not 429 and not 503;
}

internal sealed class UsageDailyConfiguration : IEntityTypeConfiguration<UsageDaily>
{
    public void Configure(EntityTypeBuilder<UsageDaily> usage)
    {
        usage.ToTable("usage_daily");
        usage.HasKey(u => new { u.OrganizationId, u.Day, u.WorkspaceId, u.KeyId, u.EndpointGroup, u.StatusCode });
        usage.Property(u => u.Day).HasMaxLength(10);
        usage.Property(u => u.EndpointGroup).HasMaxLength(32);
    }
}
