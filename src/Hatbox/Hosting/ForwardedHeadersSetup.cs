using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Hatbox.Hosting;

/// <summary>
/// <c>X-Forwarded-Proto</c> decides whether a call counts as HTTPS, so it is believed only from the
/// proxies in <c>Server:TrustedProxies</c>. ASP.NET trusts loopback by default; we trust nobody by default.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public static ForwardedHeadersOptions Create(IEnumerable<string> trustedProxies)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in trustedProxies)
        {
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
            }
            else
            {
                options.KnownProxies.Add(IPAddress.Parse(entry));
            }
        }
        return options;
    }
}
