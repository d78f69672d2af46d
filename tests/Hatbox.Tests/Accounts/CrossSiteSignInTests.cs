using System.Net;
using System.Text.RegularExpressions;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Accounts;

/// <summary>
/// Issue 17.9, login CSRF: a page on another site must not sign the visitor's browser in. Every
/// endpoint that starts a session (or spends an account link) refuses what the browser marks as
/// cross-site, by <c>Sec-Fetch-Site</c> or <c>Origin</c>, before it does anything.
/// </summary>
public sealed partial class CrossSiteSignInTests(AccountsServer fixture) : IClassFixture<AccountsServer>
{
    readonly TestServer _server = fixture.Server;

    public static TheoryData<string, string, string> CrossSiteMarks => new()
    {
        { "/v1/sessions", "Sec-Fetch-Site", "cross-site" },
        { "/v1/sessions", "Sec-Fetch-Site", "same-site" },
        { "/v1/sessions", "Origin", "https://evil.example" },
        { "/v1/sessions", "Origin", "null" },
        { "/v1/accounts", "Sec-Fetch-Site", "cross-site" },
        { "/v1/accounts", "Origin", "https://evil.example" },
        { "/v1/password-resets", "Sec-Fetch-Site", "cross-site" },
        { "/v1/password-reset-requests", "Origin", "https://evil.example" },
        { "/v1/email-verifications", "Sec-Fetch-Site", "cross-site" },
    };

    [Theory]
    [MemberData(nameof(CrossSiteMarks))]
    public async Task ACrossSitePostToASessionEndpointIsRefusedAndSetsNoCookie(string path, string header, string value)
    {
        using var existing = await Person.SignUpAsync(_server);
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = JsonContent.Create(new { email = path == "/v1/accounts" ? Person.NewEmail() : existing.Email, password = Person.Password }),
        };
        request.Headers.Add(header, value);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.CrossSiteRequest, ErrorTypes.Permission);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task ACrossSiteSignUpMakesNoAccount()
    {
        var email = Person.NewEmail();
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/accounts") { Content = JsonContent.Create(new { email, password = Person.Password }) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using (var refused = await client.SendAsync(request, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // The address is still free: signing up with it from our own pages works.
        using var person = await Person.SignUpAsync(_server, email);
        Assert.Equal(email, person.Email);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Sec-Fetch-Site", "none")]
    [InlineData("Origin", "self")]
    public async Task ASameOriginSignInWorks(string header, string value)
    {
        using var existing = await Person.SignUpAsync(_server);
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions")
        {
            Content = JsonContent.Create(new { email = existing.Email, password = Person.Password }),
        };
        request.Headers.Add(header, value == "self" ? $"https://{_server.HttpsAddress.Authority}" : value);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await Person.ReadAsync(response, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/signup")]
    public async Task APortalFormPostedFromAnotherSiteIsRefusedEvenWithAValidAntiforgeryToken(string page)
    {
        using var existing = await Person.SignUpAsync(_server);
        using var browser = _server.CreateClient();
        // The attacker's best case: a real token and its cookie, as if it could read our page.
        using var form = await browser.GetAsync(page, TestContext.Current.CancellationToken);
        var html = await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var token = AntiforgeryField().Match(html).Groups[1].Value;
        var cookies = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var post = new HttpRequestMessage(HttpMethod.Post, page)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = page == "/signup" ? Person.NewEmail() : existing.Email,
                ["Password"] = Person.Password,
                ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", cookies);
        post.Headers.Add("Origin", "https://evil.example");
        post.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await browser.SendAsync(post, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var set) ? set : [],
            c => c.StartsWith("__Host-hatbox=", StringComparison.Ordinal));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
