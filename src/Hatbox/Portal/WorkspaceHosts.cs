using System.Net;
using Hatbox.Hosting;
using Microsoft.Extensions.Options;

namespace Hatbox.Portal;

/// <summary>
/// Workspaces are reached by host, <c>https://{slug}.{PublicHost}</c> (seed S7), or by path,
/// <c>/w/{slug}/…</c>, which works on any host. The public host is the one in
/// <c>Server:PublicBaseUrl</c>, else <c>localhost</c>; an IP address has no subdomains, so then
/// only paths work.
/// </summary>
internal sealed class WorkspaceHosts(IOptions<ServerOptions> server)
{
    readonly Uri? _publicBase = server.Value.PublicBaseUrl is { } url ? new Uri(url) : null;

    string PublicHost => _publicBase?.Host ?? "localhost";

    bool HasSubdomains => !IPAddress.TryParse(PublicHost.Trim('[', ']'), out _);

    /// <summary>The slug this request's host names, or null on the public host itself (or any other).</summary>
    public string? SlugOf(HttpRequest request)
    {
        var host = request.Host.Host;
        if (!HasSubdomains || host.Length <= PublicHost.Length + 1
            || !host.EndsWith(PublicHost, StringComparison.OrdinalIgnoreCase) || host[^(PublicHost.Length + 1)] != '.')
        {
            return null;
        }
        var slug = host[..^(PublicHost.Length + 1)].ToLowerInvariant();
        return slug.Contains('.', StringComparison.Ordinal) ? null : slug;
    }

    /// <summary>The workspace's own address (null when the public host is an IP address).</summary>
    public Uri? WorkspaceOrigin(HttpRequest request, string slug) =>
        HasSubdomains ? new Uri($"https://{slug}.{PublicAuthority(request)}") : null;

    /// <summary>The public host with the port clients use: the public URL's, else this request's.</summary>
    public string PublicAuthority(HttpRequest request)
    {
        var port = _publicBase?.Port ?? request.Host.Port ?? 443;
        return port == 443 ? PublicHost : $"{PublicHost}:{port}";
    }
}
