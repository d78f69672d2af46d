using System.Buffers.Binary;
using System.ComponentModel.DataAnnotations;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Storage;

/// <summary>
/// The HTTP/2 flow-control windows uploads need (issue 17 item 17), read off the wire: the server's
/// SETTINGS frame and its connection WINDOW_UPDATE, as a client sees them after the preface.
/// </summary>
public sealed class Http2UploadWindowTests
{
    const int KestrelDefaultStreamWindow = 96 * 1024;
    const int ProtocolInitialWindow = 65_535;

    [Fact]
    public async Task TheServerOffersWindowsLargeEnoughForUploads()
    {
        await using var server = await TestServer.StartAsync();

        var offer = await Http2Offer.ReadAsync(server, TestContext.Current.CancellationToken);

        Assert.Equal(2 * 1024 * 1024, offer.StreamWindow);
        Assert.Equal(4 * 1024 * 1024, offer.ConnectionWindow);
        Assert.Equal(64 * 1024, offer.MaxFrameSize);
        Assert.Equal(100, offer.MaxConcurrentStreams);
        Assert.True(offer.StreamWindow > KestrelDefaultStreamWindow);
    }

    [Fact]
    public async Task TheWindowsFollowConfiguration()
    {
        await using var server = await TestServer.StartAsync(new()
        {
            ["Server:Http2:StreamWindowBytes"] = "1048576",
            ["Server:Http2:ConnectionWindowBytes"] = "3145728",
            ["Server:Http2:MaxFrameBytes"] = "16384",
            ["Server:Http2:MaxStreamsPerConnection"] = "8",
        });

        var offer = await Http2Offer.ReadAsync(server, TestContext.Current.CancellationToken);

        Assert.Equal(1024 * 1024, offer.StreamWindow);
        Assert.Equal(3 * 1024 * 1024, offer.ConnectionWindow);
        Assert.Equal(16 * 1024, offer.MaxFrameSize);
        Assert.Equal(8, offer.MaxConcurrentStreams);
    }

    [Theory]
    [InlineData("Server:Http2:StreamWindowBytes", "1000")]
    [InlineData("Server:Http2:MaxFrameBytes", "16777216")]
    [InlineData("Server:Http2:MaxStreamsPerConnection", "0")]
    [InlineData("Server:Http2:ConnectionWindowBytes", "1048576")]
    public async Task AWindowOutOfRangeStopsTheServerFromStarting(string option, string value)
    {
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var server = await TestServer.StartAsync(new() { [option] = value });
        });

        // The last case is below the 2 MiB stream window: a connection could not carry one full stream.
        Assert.NotNull(failure);
        Assert.IsType<ValidationException>(Innermost(failure));
    }

    static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    /// <summary>What the server's first frames say about flow control.</summary>
    sealed record Http2Offer(int StreamWindow, int ConnectionWindow, int MaxFrameSize, int MaxConcurrentStreams)
    {
        const byte FrameSettings = 0x4, FrameWindowUpdate = 0x8;

        public static async Task<Http2Offer> ReadAsync(TestServer server, CancellationToken cancellationToken)
        {
            var address = server.HttpsAddress;
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(address.Host, address.Port, cancellationToken);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = address.Host,
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(server.DataDirectory, "tls", "cert.pem"))) },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
                ApplicationProtocols = [SslApplicationProtocol.Http2],
            }, cancellationToken);
            Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
            await tls.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), cancellationToken);
            await tls.WriteAsync(new byte[] { 0, 0, 0, FrameSettings, 0, 0, 0, 0, 0 }, cancellationToken);

            // Protocol defaults until the server says otherwise (RFC 9113 §6.5.2).
            int streamWindow = ProtocolInitialWindow, maxFrame = 16_384, maxStreams = int.MaxValue;
            int? connectionWindow = null;
            var sawSettings = false;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            while (!sawSettings || connectionWindow is null)
            {
                var header = new byte[9];
                await tls.ReadExactlyAsync(header, deadline.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var (type, flags, stream) = (header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue);
                var payload = new byte[length];
                await tls.ReadExactlyAsync(payload, deadline.Token);
                if (type == FrameSettings && (flags & 0x1) == 0)
                {
                    for (var i = 0; i + 6 <= length; i += 6)
                    {
                        var value = (int)BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 2));
                        switch (BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i)))
                        {
                            case 0x3: maxStreams = value; break;
                            case 0x4: streamWindow = value; break;
                            case 0x5: maxFrame = value; break;
                        }
                    }
                    sawSettings = true;
                }
                else if (type == FrameWindowUpdate && stream == 0)
                {
                    connectionWindow = ProtocolInitialWindow + (BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue);
                }
            }
            return new Http2Offer(streamWindow, connectionWindow.Value, maxFrame, maxStreams);
        }
    }
}
