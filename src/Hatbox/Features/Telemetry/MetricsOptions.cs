using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Hatbox.Features.Telemetry;

/// <summary>
/// The Prometheus scrape listener: plain HTTP on its own port, never the public one. On loopback
/// (the default) anyone on the machine may scrape; bound anywhere else it needs <see cref="Token"/>.
/// </summary>
internal sealed class MetricsOptions : IValidatableObject
{
    public const string SectionName = "Metrics";

    /// <summary>0 turns the listener and the exporter off.</summary>
    [Range(0, 65535)] public int Port { get; set; } = 9464;

    /// <summary><c>127.0.0.1</c> (default), <c>localhost</c>, an IP address, or <c>*</c> for every interface.</summary>
    [Required] public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>When set, every scrape must send <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public string? Token { get; set; }

    public bool Enabled => Port != 0;

    public bool IsLoopback => ListenAddress is "localhost"
        || (IPAddress.TryParse(ListenAddress, out var address) && IPAddress.IsLoopback(address));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ListenAddress is not ("localhost" or "*") && !IPAddress.TryParse(ListenAddress, out _))
        {
            yield return new ValidationResult("Metrics:ListenAddress must be localhost, an IP address or *.", [nameof(ListenAddress)]);
        }
        if (Enabled && !IsLoopback && string.IsNullOrEmpty(Token))
        {
            yield return new ValidationResult(
                "Metrics:ListenAddress is not loopback: set Metrics:Token, which every scrape must then send.", [nameof(Token)]);
        }
        if (Token is { Length: > 0 and < 16 })
        {
            yield return new ValidationResult("Metrics:Token must be at least 16 characters.", [nameof(Token)]);
        }
    }
}
