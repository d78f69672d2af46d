using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hatbox.Hosting.Tls;

/// <summary>
/// Issues each host's certificate from the local authority the first time a client asks for that
/// name (SNI), and keeps it in memory until a week before it expires. The default certificate
/// (localhost, 127.0.0.1, ::1 and the configured hosts) is also written to <c>data/tls/localhost.pem</c>
/// and <c>localhost-key.pem</c> for tools that want a server certificate of their own (bench/).
/// </summary>
internal sealed class LeafIssuer(LocalCertificateAuthority authority, TlsHostNames names, string folder, TimeProvider time)
{
    /// <summary>Far more workspaces than one machine serves; past it the cache starts over rather than grow without end.</summary>
    const int MaxCached = 1024;

    static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    readonly ConcurrentDictionary<string, Leaf> _leaves = new(StringComparer.Ordinal);
    readonly Lock _defaultLock = new();
    Leaf? _default;

    sealed record Leaf(X509Certificate2 Certificate, SslStreamCertificateContext Context, DateTimeOffset RenewAt);

    /// <summary>The certificate for <paramref name="serverName"/>: its own when Hatbox serves that name, else the default.</summary>
    public SslStreamCertificateContext For(string? serverName)
    {
        var now = time.GetUtcNow();
        if (names.Normalize(serverName) is not { } name || name == TlsHostNames.Localhost)
        {
            return Default(now).Context;
        }
        if (_leaves.TryGetValue(name, out var leaf) && leaf.RenewAt > now)
        {
            return leaf.Context;
        }
        if (_leaves.Count >= MaxCached)
        {
            _leaves.Clear();
        }
        leaf = Issue([name], now);
        _leaves[name] = leaf;
        return leaf.Context;
    }

    /// <summary>The default certificate itself, for tests and the banner.</summary>
    public X509Certificate2 DefaultCertificate => Default(time.GetUtcNow()).Certificate;

    Leaf Default(DateTimeOffset now)
    {
        if (_default is { } current && current.RenewAt > now)
        {
            return current;
        }
        lock (_defaultLock)
        {
            if (_default is { } again && again.RenewAt > now)
            {
                return again;
            }
            var leaf = Issue(names.DefaultDnsNames, now);
            PrivateFiles.WriteKey(Path.Combine(folder, "localhost-key.pem"), leaf.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            PrivateFiles.WritePublic(Path.Combine(folder, "localhost.pem"), leaf.Certificate.ExportCertificatePem());
            _default = leaf;
            return leaf;
        }
    }

    Leaf Issue(IReadOnlyList<string> dnsNames, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in dnsNames)
        {
            san.AddDnsName(dnsName);
        }
        if (dnsNames.Contains(TlsHostNames.Localhost))
        {
            foreach (var address in names.Addresses)
            {
                san.AddIpAddress(address);
            }
        }
        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = now.Add(Lifetime) < authority.Certificate.NotAfter ? now.Add(Lifetime) : authority.Certificate.NotAfter;
        using var issued = request.Create(authority.Certificate, now.AddMinutes(-5), notAfter, serial);
        var certificate = issued.CopyWithPrivateKey(key);
        // offline: the chain is ours, there is nothing to fetch.
        var context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        return new Leaf(certificate, context, notAfter - RenewBefore);
    }
}
