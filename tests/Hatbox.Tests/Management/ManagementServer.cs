using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>One server per test class; every test makes its own users and workspaces on it, so tests never share data.</summary>
public sealed class ManagementServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
