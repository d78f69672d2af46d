using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hatbox.Features.Notifications;

/// <summary>
/// An e-mail waiting to be sent, written in the same transaction as the event it reports (the
/// transactional outbox). <see cref="DedupeKey"/> is unique, so a notice that must go out once
/// (a version announcement, a quota warning) is queued once even if two nodes race to queue it.
/// </summary>
internal sealed class OutboxEmail
{
    public required string Id { get; init; }
    public required string DedupeKey { get; init; }
    public required string To { get; init; }
    public required string Subject { get; init; }
    public required string TextBody { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> email)
    {
        email.ToTable("outbox_emails");
        email.HasKey(e => e.Id);
        email.HasIndex(e => e.DedupeKey).IsUnique();
        email.HasIndex(e => new { e.SentAt, e.NextAttemptAt });
        email.Property(e => e.To).HasMaxLength(320);
        email.Property(e => e.Subject).HasMaxLength(300);
        email.Property(e => e.LastError).HasMaxLength(1000);
    }
}
