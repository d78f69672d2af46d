namespace Hatbox.Hosting;

/// <summary>
/// A certificate of your own: a PEM pair (<see cref="CertificatePath"/> and <see cref="KeyPath"/>) or a
/// PFX (<see cref="CertificatePath"/> and optional <see cref="Password"/>). Without one, Hatbox's local
/// certificate authority in <c>data/tls/</c> issues a certificate for each host name.
/// </summary>
internal sealed class TlsOptions
{
    public const string SectionName = "Tls";

    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// Host names or IP addresses besides localhost (and the host of <c>Server:PublicBaseUrl</c>) that
    /// the local authority issues certificates for, each with its <c>{slug}.</c> subdomains.
    /// </summary>
    public string[] Hosts { get; set; } = [];
}
