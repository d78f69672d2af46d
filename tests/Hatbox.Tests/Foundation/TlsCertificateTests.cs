using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hatbox.Hosting;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Foundation;

public sealed class TlsCertificateTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void FirstRunCreatesALocalAuthorityThatLaterRunsReuseWithItsKeysReadableByTheOwnerOnly()
    {
        var data = Directory.CreateTempSubdirectory("hatbox-tls-").FullName;
        try
        {
            var first = TlsCertificates.Load(new TlsOptions(), data, TimeProvider.System);
            var second = TlsCertificates.Load(new TlsOptions(), data, TimeProvider.System);

            var tls = Path.Combine(data, "tls");
            Assert.Equal(Path.Combine(tls, "cert.pem"), first.AuthorityPemPath);
            Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
            Assert.True(first.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            Assert.False(first.Certificate.HasPrivateKey);
            Assert.Equal(first.Certificate.Thumbprint, X509CertificateLoader.LoadCertificateFromFile(first.AuthorityPemPath!).Thumbprint);
            foreach (var key in new[] { "ca-key.pem", "localhost-key.pem" })
            {
                Assert.True(OperatingSystem.IsWindows()
                    || File.GetUnixFileMode(Path.Combine(tls, key)) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void TheSelfSignedCertificateOfEarlierVersionsIsReplacedByAnAuthority()
    {
        var data = Directory.CreateTempSubdirectory("hatbox-tls-old-").FullName;
        try
        {
            var tls = Directory.CreateDirectory(Path.Combine(data, "tls")).FullName;
            using var old = SelfSignedLocalhost();
            File.WriteAllText(Path.Combine(tls, "cert.pem"), old.ExportCertificatePem());
            File.WriteAllText(Path.Combine(tls, "key.pem"), old.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

            var loaded = TlsCertificates.Load(new TlsOptions(), data, TimeProvider.System);

            Assert.NotEqual(old.Thumbprint, loaded.Certificate.Thumbprint);
            Assert.True(loaded.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            Assert.False(File.Exists(Path.Combine(tls, "key.pem")));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("localhost", "localhost")]
    [InlineData("acme.localhost", "acme.localhost")]
    [InlineData("ACME.localhost", "acme.localhost")]
    [InlineData("hatbox.example.test", "hatbox.example.test")]
    [InlineData("team-1.hatbox.example.test", "team-1.hatbox.example.test")]
    public async Task EachHostGetsACertificateOfItsOwnNameSignedByTheAuthority(string serverName, string expected)
    {
        await using var server = await TestServer.StartAsync(new() { ["Tls:Hosts:0"] = "hatbox.example.test" });
        var authority = server.Services.GetRequiredService<TlsCertificates.Loaded>().Certificate;

        var (served, errors) = await HandshakeAsync(server, serverName, authority);

        Assert.Equal(SslPolicyErrors.None, errors);
        Assert.Contains(expected, served.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.False(served.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
    }

    [Theory]
    [InlineData("bank.example.com")]
    [InlineData("a.b.localhost")]
    [InlineData("-bad-.localhost")]
    public async Task AStrangersNameGetsTheDefaultCertificateAndFailsTheNameCheck(string serverName)
    {
        await using var server = await TestServer.StartAsync();
        var authority = server.Services.GetRequiredService<TlsCertificates.Loaded>().Certificate;

        var (served, errors) = await HandshakeAsync(server, serverName, authority);

        Assert.Equal(SslPolicyErrors.RemoteCertificateNameMismatch, errors);
        var names = served.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Contains(IPAddress.IPv6Loopback, names.EnumerateIPAddresses());
    }

    [Fact]
    public async Task AConfiguredPemCertificateReplacesTheLocalAuthority()
    {
        var elsewhere = Directory.CreateTempSubdirectory("hatbox-own-cert-").FullName;
        try
        {
            using var own = SelfSignedLocalhost();
            File.WriteAllText(Path.Combine(elsewhere, "own.pem"), own.ExportCertificatePem());
            File.WriteAllText(Path.Combine(elsewhere, "own-key.pem"), own.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            await using var server = await TestServer.StartAsync(new()
            {
                ["Tls:CertificatePath"] = Path.Combine(elsewhere, "own.pem"),
                ["Tls:KeyPath"] = Path.Combine(elsewhere, "own-key.pem"),
            });
            using var client = server.CreateClient();

            using var response = await client.GetAsync("/health", Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var (served, _) = await HandshakeAsync(server, "acme.localhost", own);
            Assert.Equal(own.Thumbprint, served.Thumbprint);
            Assert.Null(server.Services.GetRequiredService<TlsCertificates.Loaded>().AuthorityPemPath);
            Assert.False(File.Exists(Path.Combine(server.DataDirectory, "tls", "cert.pem")));
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    /// <summary>A TLS handshake with the server on loopback naming <paramref name="serverName"/> (SNI); the certificate it sent, and what a client trusting <paramref name="root"/> makes of it.</summary>
    static async Task<(X509Certificate2 Served, SslPolicyErrors Errors)> HandshakeAsync(TestServer server, string serverName, X509Certificate2 root)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.HttpsAddress.Port, Ct);
        X509Certificate2? served = null;
        var errors = SslPolicyErrors.None;
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { root },
                RevocationMode = X509RevocationMode.NoCheck,
            },
            RemoteCertificateValidationCallback = (_, certificate, _, sslErrors) =>
            {
                served = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                errors = sslErrors;
                // Only the name may be wrong (the stranger's-name test looks at that); an untrusted chain still fails.
                return sslErrors is SslPolicyErrors.None or SslPolicyErrors.RemoteCertificateNameMismatch;
            },
        }, Ct);
        return (served!, errors);
    }

    static X509Certificate2 SelfSignedLocalhost()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=own localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName("acme.localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
    }
}
