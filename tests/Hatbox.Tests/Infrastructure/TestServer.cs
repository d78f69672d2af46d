using System.Security.Cryptography.X509Certificates;
using Hatbox.Data;
using Hatbox.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Hatbox.Tests.Infrastructure;

/// <summary>
/// A real Hatbox server on loopback: real Kestrel, real TLS with its self-signed certificate, a real
/// SQLite platform database in a temporary data folder. Each test class gets its own.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly X509Certificate2 _certificate;
    bool _ownsData;

    TestServer(WebApplication app, string dataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        _certificate = app.Services.GetRequiredService<TlsCertificates.Loaded>().Certificate;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        HttpsAddress = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
        var plain = addresses.SingleOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal));
        HttpAddress = plain is null ? null : new Uri(plain);
    }

    public string DataDirectory { get; }

    public Uri HttpsAddress { get; }

    public Uri? HttpAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server. Settings and the two hooks apply before start.</summary>
    public static async Task<TestServer> StartAsync(
        Dictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null,
        bool plainHttp = false,
        string? sharedDataDirectory = null)
    {
        var dataDirectory = sharedDataDirectory ?? Directory.CreateTempSubdirectory("hatbox-test-").FullName;
        // HATBOX_TEST_PLATFORM / HATBOX_TEST_STORAGE put the server on PostgreSQL / S3 (ScaleOutStores).
        var stores = await ScaleOutStores.SettingsForAsync(dataDirectory);
        var app = HatboxApp.Build(
            new ServeSettings(dataDirectory, HttpsPort: 0, HttpPort: plainHttp ? FreePort() : 0, ListenAddress: "127.0.0.1"),
            builder =>
            {
                // Many servers share this process: none takes the default scrape port unless a test asks for one.
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Metrics:Port"] = "0" });
                builder.Configuration.AddInMemoryCollection(stores);
                builder.Configuration.AddInMemoryCollection(settings ?? []);
                configureBuilder?.Invoke(builder);
            });
        try
        {
            configureApp?.Invoke(app);
            await PlatformDatabaseMigrator.MigrateAsync(app.Services, TestContext.Current.CancellationToken);
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            // A server that fails to start (a test of a bad setting, say) leaves no folder behind.
            await app.DisposeAsync();
            if (sharedDataDirectory is null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(dataDirectory, recursive: true);
                await ScaleOutStores.DropForAsync(dataDirectory);
            }
            throw;
        }
        return new TestServer(app, dataDirectory) { _ownsData = sharedDataDirectory is null };
    }

    /// <summary>
    /// A loopback port free at this moment, for listeners that cannot take port 0: the plain listener
    /// (0 means "off", DESIGN.md §7) and redis-server.
    /// </summary>
    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An HTTPS client that trusts exactly this server's certificate, nothing more.</summary>
    public HttpClient CreateClient(Uri? baseAddress = null) => TrustingClient.For(_certificate, baseAddress ?? HttpsAddress);

    public HttpClient CreatePlainClient() =>
        new() { BaseAddress = HttpAddress ?? throw new InvalidOperationException("Start the server with plainHttp: true.") };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_ownsData)
        {
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await ScaleOutStores.DropForAsync(DataDirectory);
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp folder behind; the test result stands.
        }
    }
}
