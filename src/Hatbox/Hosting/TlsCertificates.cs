using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Hatbox.Hosting.Tls;

namespace Hatbox.Hosting;

/// <summary>
/// The server's certificates: the configured one for every name, or, by default, one per host name
/// issued by the local certificate authority of <c>data/tls/</c> (<see cref="LocalCertificateAuthority"/>).
/// </summary>
internal static class TlsCertificates
{
    /// <param name="Certificate">
    /// What clients trust: the local authority's certificate (<c>data/tls/cert.pem</c>), or the configured
    /// certificate. A client that trusts it accepts every host of this server.
    /// </param>
    /// <param name="AuthorityPemPath">The local authority's <c>cert.pem</c>; null with a configured certificate.</param>
    /// <param name="Select">The certificate for a TLS handshake's server name (SNI, null when the client sent none).</param>
    public sealed record Loaded(X509Certificate2 Certificate, string? AuthorityPemPath, Func<string?, SslStreamCertificateContext> Select);

    /// <summary>The configured certificate, else the local authority's certificates; <paramref name="hosts"/> are names besides localhost.</summary>
    public static Loaded Load(TlsOptions options, string dataDirectory, TimeProvider time, IEnumerable<string>? hosts = null)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            var configured = LoadConfigured(options);
            var context = SslStreamCertificateContext.Create(configured, additionalCertificates: null, offline: true);
            return new Loaded(configured, null, _ => context);
        }

        var folder = Path.Combine(dataDirectory, "tls");
        var authority = LocalCertificateAuthority.LoadOrCreate(folder, time);
        var issuer = new LeafIssuer(authority, new TlsHostNames([.. options.Hosts, .. hosts ?? []]), folder, time);
        // Now, not at the first handshake: the default pair on disk is there as soon as the server is (bench/ reads it).
        _ = issuer.DefaultCertificate;
        // The trust anchor handed out carries no private key.
        var anchor = X509CertificateLoader.LoadCertificate(authority.Certificate.RawData);
        return new Loaded(anchor, authority.CertificatePath, issuer.For);
    }

    static X509Certificate2 LoadConfigured(TlsOptions options)
    {
        var path = options.CertificatePath!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Tls:CertificatePath '{path}' does not exist.");
        }
        return string.IsNullOrWhiteSpace(options.KeyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.Password)
            : X509Certificate2.CreateFromPemFile(path, options.KeyPath);
    }
}
