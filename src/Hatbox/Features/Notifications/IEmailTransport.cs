using MimeKit;

namespace Hatbox.Features.Notifications;

/// <summary>Where outbox e-mails go: an SMTP server or the pickup folder.</summary>
internal interface IEmailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
