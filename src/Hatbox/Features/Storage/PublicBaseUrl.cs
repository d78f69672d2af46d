using Hatbox.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Storage;

/// <summary>
/// The address links handed out by this server start with: <c>Server:PublicBaseUrl</c>, else the
/// HTTPS listener as bound (so <c>--https-port 0</c> still yields a working link), else
/// <c>https://localhost:{HttpsPort}</c>. Never a request's Host header, which the client controls.
/// </summary>
internal sealed class PublicBaseUrl(IOptions<ServerOptions> server, IServiceProvider services)
{
    string? _resolved;

    public string Value => _resolved ?? Resolve();

    string Resolve()
    {
        if (server.Value.PublicBaseUrl is { Length: > 0 } configured)
        {
            return _resolved = configured.TrimEnd('/');
        }
        var bound = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (bound is null || !Uri.TryCreate(bound, UriKind.Absolute, out var uri))
        {
            // Not listening yet (or no web host at all): a guess, not remembered.
            return $"https://localhost:{server.Value.HttpsPort}";
        }
        // A wildcard listener has no name to give out; loopback is the one address sure to be ours.
        var host = uri.Host is "[::]" or "0.0.0.0" ? "localhost" : uri.Host;
        return _resolved = $"https://{host}:{uri.Port}";
    }
}
