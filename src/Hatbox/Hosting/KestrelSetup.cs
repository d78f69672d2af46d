using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Hatbox.Hosting;

/// <summary>The TLS listener every API call uses, and the optional plain one that only refuses.</summary>
internal static class KestrelSetup
{
    const int Http2StreamWindowBytes = 2 * 1024 * 1024;

    static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    public static void Configure(KestrelServerOptions kestrel, ServerOptions server, TlsCertificates.Loaded certificates)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
        // HTTP/2 uploads (issue 17 item 17): with Kestrel's default windows (96 KiB per stream,
        // 128 KiB per connection) a client sends 48 KiB, then waits for a WINDOW_UPDATE, and a 50 MB
        // upload reached 28% of the disk's speed. A window bounds what one stream may have buffered
        // unread in the server, so these keep ten parallel uploads within ~20 MiB.
        kestrel.Limits.Http2.InitialStreamWindowSize = Http2StreamWindowBytes;
        kestrel.Limits.Http2.InitialConnectionWindowSize = 2 * Http2StreamWindowBytes;
        // Larger DATA frames, fewer frames (and headers to parse) per megabyte.
        kestrel.Limits.Http2.MaxFrameSize = 64 * 1024;
        Listen(kestrel, server.ListenAddress, server.HttpsPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            // The certificate is chosen per handshake by the name the client asks for (SNI).
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificates.Select(context.ClientHelloInfo.ServerName),
                    ApplicationProtocols = Alpn,
                }),
            });
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
