using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hatbox.Hosting;

/// <summary>
/// The server certificate: the configured one, or a self-signed one made on first run in
/// <c>data/tls/</c> and reused until it is a month from expiry.
/// </summary>
internal static class TlsCertificates
{
    static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public sealed record Loaded(X509Certificate2 Certificate, string? SelfSignedPemPath);

    public static Loaded Load(TlsOptions options, string dataDirectory, TimeProvider time)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return new Loaded(LoadConfigured(options), null);
        }

        var folder = Path.Combine(dataDirectory, "tls");
        var certPath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var existing = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            if (existing.NotAfter.ToUniversalTime() - RenewBefore > time.GetUtcNow().UtcDateTime)
            {
                return new Loaded(existing, certPath);
            }
            existing.Dispose();
        }

        Directory.CreateDirectory(folder);
        var created = CreateSelfSigned(time.GetUtcNow());
        WritePrivate(keyPath, created.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, created.ExportCertificatePem());
        return new Loaded(created, certPath);
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

    static X509Certificate2 CreateSelfSigned(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Hatbox localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));
    }

    static void WritePrivate(string path, string contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(contents);
    }
}
