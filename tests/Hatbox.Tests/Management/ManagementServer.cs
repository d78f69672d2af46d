using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>One server per test class; every test makes its own users and workspaces on it, so tests never share data.</summary>
public sealed class ManagementServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    // Every test here signs people up and in from 127.0.0.1; the per-address limit has tests of its own
    // (SignInThrottleTests), and here it would refuse the matrix's later rows.
    public async ValueTask InitializeAsync() =>
        Server = await TestServer.StartAsync(new() { ["Accounts:SignInAttemptsPerMinute"] = "100000" });

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
