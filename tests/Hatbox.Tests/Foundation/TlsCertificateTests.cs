using System.Net;
using System.Security.Cryptography.X509Certificates;
using Hatbox.Hosting;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Foundation;

public sealed class TlsCertificateTests
{
    [Fact]
    public void FirstRunCreatesASelfSignedCertificateForLoopbackThatLaterRunsReuse()
    {
        var data = Directory.CreateTempSubdirectory("hatbox-tls-").FullName;
        try
        {
            var first = TlsCertificates.Load(new TlsOptions(), data, TimeProvider.System);
            var second = TlsCertificates.Load(new TlsOptions(), data, TimeProvider.System);

            Assert.Equal(Path.Combine(data, "tls", "cert.pem"), first.SelfSignedPemPath);
            Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
            var names = first.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Contains("localhost", names.EnumerateDnsNames());
            var addresses = names.EnumerateIPAddresses().ToList();
            Assert.Contains(IPAddress.Loopback, addresses);
            Assert.Contains(IPAddress.IPv6Loopback, addresses);
            Assert.True(first.Certificate.HasPrivateKey);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task AConfiguredPemCertificateReplacesTheSelfSignedOne()
    {
        var elsewhere = Directory.CreateTempSubdirectory("hatbox-own-cert-").FullName;
        try
        {
            var own = TlsCertificates.Load(new TlsOptions(), elsewhere, TimeProvider.System);
            await using var server = await TestServer.StartAsync(new()
            {
                ["Tls:CertificatePath"] = Path.Combine(elsewhere, "tls", "cert.pem"),
                ["Tls:KeyPath"] = Path.Combine(elsewhere, "tls", "key.pem"),
            });
            using var client = server.CreateClient();

            using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var served = server.Services.GetRequiredService<TlsCertificates.Loaded>();
            Assert.Equal(own.Certificate.Thumbprint, served.Certificate.Thumbprint);
            Assert.Null(served.SelfSignedPemPath);
            Assert.False(File.Exists(Path.Combine(server.DataDirectory, "tls", "cert.pem")));
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }
}
