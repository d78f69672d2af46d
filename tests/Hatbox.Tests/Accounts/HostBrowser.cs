using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hatbox.Hosting;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Accounts;

/// <summary>
/// A browser stand-in that visits the portal host (<c>localhost</c>) and workspace hosts
/// (<c>{slug}.localhost</c>) of one server, all on loopback, with one cookie jar that keeps each
/// host's cookies apart as a browser does. It follows no redirect by itself, so a test sees each hop.
/// </summary>
internal sealed class HostBrowser : IDisposable
{
    readonly HttpClient _http;

    public HostBrowser(TestServer server)
    {
        Port = server.HttpsAddress.Port;
        var certificate = server.Services.GetRequiredService<TlsCertificates.Loaded>().Certificate;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = Cookies,
            // Every *.localhost name is this server, as Chromium resolves them.
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                // The server's local authority issues each host's certificate by SNI: trust exactly it. The
                // name is not checked, since some tests name a host the server does not serve (Host poisoning).
                RemoteCertificateValidationCallback = (_, presented, _, _) => IssuedBy(certificate, presented),
            },
        };
        _http = new HttpClient(handler);
    }

    public int Port { get; }

    static bool IssuedBy(X509Certificate2 authority, X509Certificate? presented)
    {
        if (presented is not X509Certificate2 leaf)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    public CookieContainer Cookies { get; } = new();

    public Uri Portal => new($"https://localhost:{Port}");

    public Uri Workspace(string slug) => new($"https://{slug}.localhost:{Port}");

    public async Task<HttpResponseMessage> GetAsync(Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        // What Chromium sends on a top-level navigation that a redirect led to.
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<HttpResponseMessage> PostJsonAsync(Uri url, object body, string? csrfToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (csrfToken is not null)
        {
            request.Headers.Add("X-CSRF-TOKEN", csrfToken);
        }
        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<HttpResponseMessage> DeleteAsync(Uri url, string csrfToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, url);
        request.Headers.Add("X-CSRF-TOKEN", csrfToken);
        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Follows redirects from <paramref name="url"/>, returning every hop's answer; the caller disposes them.</summary>
    public async Task<List<HttpResponseMessage>> FollowAsync(Uri url, int maxHops = 10)
    {
        var hops = new List<HttpResponseMessage>();
        for (var next = url; hops.Count < maxHops;)
        {
            var response = await GetAsync(next);
            hops.Add(response);
            if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is not { } location)
            {
                break;
            }
            next = location.IsAbsoluteUri ? location : new Uri(next, location);
        }
        return hops;
    }

    public void Dispose() => _http.Dispose();
}
