using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Accounts;

/// <summary>A server with Google and Microsoft sign-in configured against one local OpenID Connect provider.</summary>
public sealed class ExternalLoginServer : IAsyncLifetime
{
    internal OidcProvider Provider { get; private set; } = null!;

    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Provider = await OidcProvider.StartAsync();
        var settings = new Dictionary<string, string?> { ["Accounts:SignInAttemptsPerMinute"] = "100000" };
        foreach (var name in new[] { "Google", "Microsoft" })
        {
            settings[$"Accounts:External:{name}:ClientId"] = $"hatbox-{name.ToLowerInvariant()}";
            settings[$"Accounts:External:{name}:ClientSecret"] = "test secret";
            settings[$"Accounts:External:{name}:Authority"] = Provider.Issuer.ToString().TrimEnd('/');
            // The stand-in speaks plain HTTP on loopback; real providers' metadata is HTTPS only.
            settings[$"Accounts:External:{name}:RequireHttpsMetadata"] = "false";
        }
        Server = await TestServer.StartAsync(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
