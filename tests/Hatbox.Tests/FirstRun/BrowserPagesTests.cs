using System.Net;
using System.Text.Json;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.FirstRun;

/// <summary>Browsers get pages, API clients get JSON, at the same addresses.</summary>
public sealed class BrowserPagesTests : ServerTest
{
    const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("*/*")]
    [InlineData("text/html;q=0, application/json")]
    public async Task TheRootAnswersApiClientsTheServerInfoAsBefore(string? accept)
    {
        using var response = await GetAsync("/", accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("Hatbox", body.GetProperty("name").GetString());
        Assert.Equal("2025-10-28", body.GetProperty("version").GetString());
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Fact]
    public async Task TheRootShowsABrowserAPageWithTheWayIn()
    {
        using var response = await GetAsync("/", BrowserAccept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        Assert.NotNull(response.Headers.GetValues("Content-Security-Policy").SingleOrDefault());
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("href=\"/signup\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/signin\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"icon\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherMethodsOnTheRootStayMethodNotAllowedForBrowsersToo()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        request.Headers.TryAddWithoutValidation("Accept", BrowserAccept);

        using var response = await Http.SendAsync(request, Ct);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/workspace/no-such-page")]
    [InlineData("/w/acme/workspace/no-such-page")]
    [InlineData("/v1/no-such-resource")]
    public async Task AnUnknownPathIsAPageForABrowserAndTheEnvelopeForAClient(string path)
    {
        using (var page = await GetAsync(path, BrowserAccept))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("href=\"/\"", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        using var api = await GetAsync(path, null);
        await ErrorAssert.IsErrorAsync(api, HttpStatusCode.NotFound, "route_not_found");
    }

    [Fact]
    public async Task AWorkspaceHostsRootIsThatWorkspacesHome()
    {
        // https://acme.localhost:port, dialled on loopback as a browser resolves *.localhost, over a TLS
        // connection that trusts only the local authority and checks the certificate's name.
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, Server.HttpsAddress.Port, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
                {
                    TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { Server.Services.GetRequiredService<Hatbox.Hosting.TlsCertificates.Loaded>().Certificate },
                    RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                },
            },
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://acme.localhost:{Server.HttpsAddress.Port}/");
        request.Headers.TryAddWithoutValidation("Accept", BrowserAccept);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/workspace", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheFaviconIsServed()
    {
        using var response = await Http.GetAsync("/assets/favicon.svg", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
    }

    Task<HttpResponseMessage> GetAsync(string path, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return Http.SendAsync(request, Ct);
    }
}
