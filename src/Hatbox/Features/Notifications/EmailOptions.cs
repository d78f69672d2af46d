using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Notifications;

/// <summary>
/// SMTP delivery when <see cref="Host"/> is set; otherwise every e-mail is written as an
/// <c>.eml</c> file in <c>data/outbox/</c>, so the embedded default needs no mail server.
/// </summary>
internal sealed class EmailOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)] public int Port { get; set; } = 587;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary><c>StartTls</c> (default), <c>SslOnConnect</c>, or <c>None</c> for a local relay.</summary>
    [RegularExpression("^(StartTls|SslOnConnect|None)$")] public string Security { get; set; } = "StartTls";

    [Required, EmailAddress] public string From { get; set; } = "hatbox@localhost";
}
