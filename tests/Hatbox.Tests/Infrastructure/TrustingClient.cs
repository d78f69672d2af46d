using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Hatbox.Tests.Infrastructure;

/// <summary>HTTPS clients that trust exactly one certificate (a server's, or the local authority's), nothing more.</summary>
internal static class TrustingClient
{
    public static HttpClient For(X509Certificate2 certificate, Uri baseAddress) =>
        new(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { certificate },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        })
        { BaseAddress = baseAddress };

    /// <summary>A client for a server started on <paramref name="dataDirectory"/>, trusting its <c>tls/cert.pem</c>.</summary>
    public static HttpClient ForDataDirectory(string dataDirectory, Uri baseAddress) =>
        For(X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dataDirectory, "tls", "cert.pem"))), baseAddress);
}
