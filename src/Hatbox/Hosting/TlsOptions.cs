namespace Hatbox.Hosting;

/// <summary>
/// A certificate of your own: a PEM pair (<see cref="CertificatePath"/> and <see cref="KeyPath"/>) or a
/// PFX (<see cref="CertificatePath"/> and optional <see cref="Password"/>). Without one, Hatbox makes a
/// self-signed certificate in <c>data/tls/</c>.
/// </summary>
internal sealed class TlsOptions
{
    public const string SectionName = "Tls";

    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }

    public string? Password { get; set; }
}
