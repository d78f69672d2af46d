using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Hatbox.Hosting;

/// <summary>The TLS listener every API call uses, and the optional plain one that only refuses.</summary>
internal static class KestrelSetup
{
    static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    public static void Configure(KestrelServerOptions kestrel, ServerOptions server, TlsCertificates.Loaded certificates)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
        ApplyHttp2Limits(kestrel.Limits.Http2, Http2LimitsOptions.From(kestrel.ApplicationServices.GetRequiredService<IConfiguration>()));
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

    static void ApplyHttp2Limits(Http2Limits limits, Http2LimitsOptions options)
    {
        limits.InitialStreamWindowSize = options.StreamWindowBytes;
        limits.InitialConnectionWindowSize = options.ConnectionWindowBytes;
        // Larger DATA frames, fewer frames (and headers to parse) per megabyte, for clients that use them.
        limits.MaxFrameSize = options.MaxFrameBytes;
        limits.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
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
