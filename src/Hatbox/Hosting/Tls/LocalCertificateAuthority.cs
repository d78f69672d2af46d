using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hatbox.Hosting.Tls;

/// <summary>
/// The local certificate authority of one data folder, as mkcert and Caddy's internal issuer do it:
/// made on first run in <c>data/tls/</c> (<c>cert.pem</c>, the certificate clients trust, and
/// <c>ca-key.pem</c>, 0600), then it signs each host's certificate (<see cref="LeafIssuer"/>). Trust
/// it once (<c>hatbox tls trust</c>) and every host Hatbox answers for is trusted.
/// </summary>
internal sealed class LocalCertificateAuthority
{
    public const string CertificateFile = "cert.pem";
    public const string KeyFile = "ca-key.pem";

    /// <summary>The key of the single self-signed certificate of earlier versions, which cert.pem was.</summary>
    const string LegacyKeyFile = "key.pem";

    static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);
    static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    LocalCertificateAuthority(X509Certificate2 certificate, string certificatePath)
    {
        Certificate = certificate;
        CertificatePath = certificatePath;
    }

    /// <summary>The authority, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary><c>data/tls/cert.pem</c>: what <c>--cacert</c>, <c>NODE_EXTRA_CA_CERTS</c> and trust stores take.</summary>
    public string CertificatePath { get; }

    /// <summary>
    /// Loads the folder's authority, or makes one: on first run, when it nears expiry, and when
    /// cert.pem is still the self-signed server certificate of an earlier version.
    /// </summary>
    public static LocalCertificateAuthority LoadOrCreate(string folder, TimeProvider time)
    {
        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, CertificateFile);
        var keyPath = Path.Combine(folder, KeyFile);
        // Nodes that share a data folder and start together must agree on one authority.
        using var _ = FolderLock.Acquire(Path.Combine(folder, ".lock"));
        if (TryLoad(certificatePath, keyPath, time) is { } existing)
        {
            return new LocalCertificateAuthority(existing, certificatePath);
        }
        var created = Create(time.GetUtcNow());
        PrivateFiles.WriteKey(keyPath, created.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        PrivateFiles.WritePublic(certificatePath, created.ExportCertificatePem());
        File.Delete(Path.Combine(folder, LegacyKeyFile));
        return new LocalCertificateAuthority(created, certificatePath);
    }

    static X509Certificate2? TryLoad(string certificatePath, string keyPath, TimeProvider time)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }
        var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        var isAuthority = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
        if (isAuthority && certificate.NotAfter.ToUniversalTime() - RenewBefore > time.GetUtcNow().UtcDateTime)
        {
            return certificate;
        }
        certificate.Dispose();
        return null;
    }

    static X509Certificate2 Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // The machine's name and a date tell two installations' authorities apart in a trust store.
        var name = $"CN=Hatbox local authority {Environment.MachineName} {now:yyyy-MM-dd}, O=Hatbox";
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));
    }
}
