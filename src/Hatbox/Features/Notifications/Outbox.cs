using Hatbox.Common;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Notifications;

/// <summary>The one way any notice is sent: queue it with the change that caused it, in the same save.</summary>
internal static class Outbox
{
    /// <summary>Adds the e-mail to the unit of work unless one with the same key is already queued or sent.</summary>
    public static async Task EnqueueAsync(HatboxDbContext db, TimeProvider time, string dedupeKey, string to, string subject, string textBody,
        CancellationToken cancellationToken)
    {
        var queued = db.OutboxEmails.Local.Any(e => e.DedupeKey == dedupeKey)
            || await db.OutboxEmails.AnyAsync(e => e.DedupeKey == dedupeKey, cancellationToken);
        if (queued)
        {
            return;
        }
        var now = time.GetUtcNow();
        db.OutboxEmails.Add(new OutboxEmail
        {
            Id = Ids.New("eml"),
            DedupeKey = dedupeKey,
            To = to,
            Subject = subject,
            TextBody = textBody,
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }
}
