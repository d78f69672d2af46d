using Hatbox.Features.Accounts;
using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Hatbox.Tests.Accounts;

/// <summary>
/// One server per test class whose account links (verification, reset, handoff) run on a fake
/// clock, so a test can let one expire; the rest of the server keeps real time.
/// </summary>
public sealed class AccountsServer : IAsyncLifetime
{
    public FakeTimeProvider LinkClock { get; } = new(DateTimeOffset.UtcNow);

    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync(
        // Every test here signs up and in several times from one address; the throttle has tests of its own.
        new() { ["Accounts:SignInAttemptsPerMinute"] = "100000" },
        configureBuilder: builder => builder.Services.AddKeyedSingleton<TimeProvider>(AccountTokens.ClockKey, LinkClock));

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
