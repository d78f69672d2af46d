namespace Hatbox.Tests.Infrastructure;

/// <summary>
/// A test class whose tests share one real server, started with <paramref name="settings"/> before
/// the first test and stopped after the last. Each test still makes its own tenant.
/// </summary>
public abstract class ServerTest(Dictionary<string, string?>? settings = null) : IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;

    /// <summary>An HTTPS client that trusts the server's certificate.</summary>
    protected HttpClient Http { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        Server = await TestServer.StartAsync(settings);
        Http = Server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
