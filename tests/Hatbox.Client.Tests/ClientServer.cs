using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Hatbox.Hosting;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Client.Tests;

/// <summary>A real Hatbox server for one test class, and clients that trust exactly its certificate.</summary>
public abstract class ClientServer : IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Plans:free:RequestsPerMinute"] = "1000000",
        ["Plans:free:RequestsPerMonth"] = "1000000000",
    });

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    internal SocketsHttpHandler TrustingHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { Server.Services.GetRequiredService<TlsCertificates.Loaded>().Certificate },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        },
    };

    internal HatboxClient ClientFor(string? apiKey, string? apiVersion = null) =>
        new(new HttpClient(TrustingHandler()), new HatboxClientOptions { BaseAddress = Server.HttpsAddress, ApiKey = apiKey, ApiVersion = apiVersion });
}
