using System.Net;

namespace Hatbox.Hosting.Tls;

/// <summary>The names the server's own settings say clients use: the public URL's host, and a listen address that is one IP.</summary>
internal static class ServerHostNames
{
    public static IEnumerable<string> Of(ServerOptions server)
    {
        if (server.PublicBaseUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            yield return uri.Host;
        }
        if (IPAddress.TryParse(server.ListenAddress, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
        {
            yield return address.ToString();
        }
    }
}
