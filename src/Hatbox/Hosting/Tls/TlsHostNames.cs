using System.Net;
using System.Text.RegularExpressions;

namespace Hatbox.Hosting.Tls;

/// <summary>
/// Which names get a certificate of their own: <c>localhost</c>, each <c>{slug}.localhost</c>, each
/// configured host and its <c>{slug}.</c> subdomains. Any other name a client sends (or none, as for
/// an IP address) gets the default certificate, so a stranger's SNI cannot make the server sign
/// names it does not serve.
/// </summary>
internal sealed partial class TlsHostNames
{
    public const string Localhost = "localhost";

    readonly string[] _dnsHosts;

    public TlsHostNames(IEnumerable<string> configuredHosts)
    {
        var hosts = configuredHosts.Select(h => h.Trim().TrimEnd('.').ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
        Addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback, .. hosts.Select(ParseAddress).OfType<IPAddress>()];
        _dnsHosts = [Localhost, .. hosts.Where(h => ParseAddress(h) is null && h != Localhost)];
    }

    /// <summary>The IP addresses the default certificate names (clients send no SNI for an address).</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The DNS names the default certificate names: localhost and the configured hosts.</summary>
    public IReadOnlyList<string> DefaultDnsNames => _dnsHosts;

    /// <summary>The name to issue for, lower-cased, or null when the default certificate answers.</summary>
    public string? Normalize(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName) || serverName.Length > 253)
        {
            return null;
        }
        var name = serverName.TrimEnd('.').ToLowerInvariant();
        foreach (var host in _dnsHosts)
        {
            if (name == host)
            {
                return name;
            }
            if (name.Length > host.Length + 1 && name.EndsWith(host, StringComparison.Ordinal) && name[^(host.Length + 1)] == '.'
                && Label().IsMatch(name.AsSpan(0, name.Length - host.Length - 1)))
            {
                return name;
            }
        }
        return null;
    }

    static IPAddress? ParseAddress(string host) => IPAddress.TryParse(host.Trim('[', ']'), out var address) ? address : null;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Label();
}
