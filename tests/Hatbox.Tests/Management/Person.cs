using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hatbox.Hosting;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Management;

/// <summary>
/// A browser stand-in for one person: its own cookie jar over real HTTPS, and the CSRF header
/// once signed in, as the portal's pages will send it.
/// </summary>
internal sealed class Person : IDisposable
{
    public const string Password = "a long test password";

    readonly HttpClient _http;

    Person(TestServer server, string? cookieHeader = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = cookieHeader is null,
            CookieContainer = Cookies,
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { server.Services.GetRequiredService<TlsCertificates.Loaded>().Certificate },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        _http = new HttpClient(handler) { BaseAddress = server.HttpsAddress };
        if (cookieHeader is not null)
        {
            _http.DefaultRequestHeaders.Add("Cookie", cookieHeader);
        }
    }

    public CookieContainer Cookies { get; } = new();

    public string UserId { get; private set; } = "";

    public string Email { get; private set; } = "";

    /// <summary>The cookies this browser would send, e.g. to replay them from somewhere else.</summary>
    public string CookieHeader => Cookies.GetCookieHeader(_http.BaseAddress!);

    public static Person Anonymous(TestServer server) => new(server);

    /// <summary>Another machine replaying copied cookies, with no jar of its own.</summary>
    public static Person WithCopiedCookies(TestServer server, string cookieHeader) => new(server, cookieHeader);

    public static string NewEmail() => $"{Guid.NewGuid():N}@example.test";

    /// <summary>Signs up and, unless told not to, confirms the address with the link the server e-mailed.</summary>
    public static async Task<Person> SignUpAsync(TestServer server, string? email = null, bool verifyEmail = true)
    {
        var portal = new Person(server);
        using var response = await portal.SendAsync(HttpMethod.Post, "/v1/accounts",
            new { email = email ?? NewEmail(), password = Password, name = "Test User" });
        var user = await ReadAsync(response, HttpStatusCode.Created);
        portal.UserId = user.GetProperty("id").GetString()!;
        portal.Email = user.GetProperty("email").GetString()!;
        await portal.RefreshCsrfTokenAsync();
        if (verifyEmail)
        {
            var link = await Mailbox.LinkAsync(server, portal.Email, "/verify-email");
            using var verified = await portal.SendAsync(HttpMethod.Post, "/v1/email-verifications", new { token = Mailbox.Token(link) });
            await ReadAsync(verified, HttpStatusCode.OK);
        }
        return portal;
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/sessions", new { email, password });
        if (response.IsSuccessStatusCode)
        {
            var user = await ReadAsync(response, HttpStatusCode.OK);
            UserId = user.GetProperty("id").GetString()!;
            Email = email;
            await RefreshCsrfTokenAsync();
        }
        return response;
    }

    /// <summary>Fetches a token for the current session and sends it with every later request.</summary>
    public async Task RefreshCsrfTokenAsync()
    {
        using var response = await GetAsync("/v1/antiforgery");
        var body = await ReadAsync(response, HttpStatusCode.OK);
        var header = body.GetProperty("headerName").GetString()!;
        _http.DefaultRequestHeaders.Remove(header);
        _http.DefaultRequestHeaders.Add(header, body.GetProperty("token").GetString());
    }

    public void ForgetCsrfToken() => _http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path, TestContext.Current.CancellationToken);

    /// <summary>Sends <paramref name="body"/> as JSON, or <see cref="HttpContent"/> as given (forms), or nothing.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                HttpContent content => content,
                _ => JsonContent.Create(body),
            },
        };
        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<HttpResponseMessage> SendWithHeaderAsync(HttpMethod method, string path, string header, string value)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(header, value);
        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON answer.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if (text.Length == 0)
        {
            return default;
        }
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
