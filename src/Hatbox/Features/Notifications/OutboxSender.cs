using Hatbox.Common;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Hatbox.Features.Notifications;

/// <summary>
/// Sends queued e-mails: claims a batch (so two nodes never send the same one), sends, marks it
/// sent, and on failure retries with exponential backoff. A node that dies mid-send loses its
/// claim after <see cref="ClaimLease"/> and another node takes over: at-least-once delivery,
/// with exactly-once queuing guaranteed by <see cref="OutboxEmail.DedupeKey"/>.
/// </summary>
internal sealed partial class OutboxSender(
    IServiceScopeFactory scopes, IEmailTransport transport, IOptions<EmailOptions> options, TimeProvider time,
    ILogger<OutboxSender> logger, Common.Readiness.PlatformReadiness? readiness = null) : PeriodicWorker(time, readiness)
{
    static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);
    const int BatchSize = 20;
    const int MaxAttempts = 12;

    readonly string _node = Ids.New("node");

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    protected override bool RunAtStart => true;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => SendDueAsync(cancellationToken);

    async Task SendDueAsync(CancellationToken cancellationToken)
    {
        while (await SendBatchAsync(cancellationToken) == BatchSize)
        {
        }
    }

    /// <summary>Sends what is due; returns how many e-mails it claimed.</summary>
    internal async Task<int> SendBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var now = Time.GetUtcNow();
        var due = await db.OutboxEmails
            .Where(e => e.SentAt == null && e.Attempts < MaxAttempts && e.NextAttemptAt <= now && (e.ClaimedUntil == null || e.ClaimedUntil < now))
            .OrderBy(e => e.NextAttemptAt).Select(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }
        // The claim is one conditional UPDATE: of two nodes racing for a row, only one matches.
        var leaseEnd = now + ClaimLease;
        await db.OutboxEmails
            .Where(e => due.Contains(e.Id) && e.SentAt == null && (e.ClaimedUntil == null || e.ClaimedUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.ClaimedBy, _node).SetProperty(e => e.ClaimedUntil, leaseEnd), cancellationToken);
        var claimed = await db.OutboxEmails.Where(e => due.Contains(e.Id) && e.ClaimedBy == _node && e.SentAt == null)
            .ToListAsync(cancellationToken);

        foreach (var email in claimed)
        {
            await SendOneAsync(email, cancellationToken);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return due.Count;
    }

    async Task SendOneAsync(OutboxEmail email, CancellationToken cancellationToken)
    {
        try
        {
            await transport.SendAsync(ToMessage(email), cancellationToken);
            email.SentAt = Time.GetUtcNow();
            email.LastError = null;
            LogSent(logger, email.Id, email.Subject);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Any transport failure (socket, TLS, SMTP refusal, disk) is retried later.
            email.Attempts++;
            var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 10 * Math.Pow(2, email.Attempts - 1)));
            email.NextAttemptAt = Time.GetUtcNow() + backoff;
            email.LastError = exception.GetType().Name + ": " + exception.Message[..Math.Min(exception.Message.Length, 900)];
            LogSendFailed(logger, email.Id, email.Attempts, backoff.TotalSeconds, exception.GetType().Name);
        }
        email.ClaimedBy = null;
        email.ClaimedUntil = null;
    }

    MimeMessage ToMessage(OutboxEmail email)
    {
        var message = new MimeMessage { Subject = email.Subject, MessageId = $"{email.Id}@hatbox" };
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Body = new TextPart("plain") { Text = email.TextBody };
        return message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent e-mail {EmailId}: {Subject}")]
    static partial void LogSent(ILogger logger, string emailId, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "E-mail {EmailId} failed (attempt {Attempts}); retrying in {BackoffSeconds}s: {Error}")]
    static partial void LogSendFailed(ILogger logger, string emailId, int attempts, double backoffSeconds, string error);
}
