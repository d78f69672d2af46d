using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Hatbox.Hosting;

/// <summary>The TLS listener every API call uses, and the optional plain one that only refuses.</summary>
internal static class KestrelSetup
{
    public static void Configure(KestrelServerOptions kestrel, ServerOptions server, X509Certificate2 certificate)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
        Listen(kestrel, server.ListenAddress, server.HttpsPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        });
        if (server.HttpPort != 0)
        {
            Listen(kestrel, server.ListenAddress, server.HttpPort, _ => { });
        }
    }

    static void Listen(KestrelServerOptions kestrel, string address, int port, Action<ListenOptions> configure)
    {
        if (address is "localhost")
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (address is "*" or "0.0.0.0" or "::")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(address), port, configure);
        }
    }
}
