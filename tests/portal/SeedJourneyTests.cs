using System.Net;
using System.Text.Json;
using Hatbox.Features.Domains;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>The quickstart's walk through the web app (seed S7–S10), in a real browser, ending with the copied key at work.</summary>
public sealed class SeedJourneyTests(Chromium chromium)
{
    [Fact]
    public async Task ANewUserGoesFromSignUpToACopiedKeyThatWorksOnlyFromAllowedDomains()
    {
        await using var server = await TestServer.StartAsync();
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        var page = browser.Page;
        var email = Seed.UniqueEmail("ada");
        var slug = Seed.UniqueSlug("acme");

        // Sign up, then create a workspace.
        await browser.SignUpAsync(email, Seed.Password);
        await browser.StepAsync("signed-up");
        await page.GetByLabel("Workspace name").FillAsync("Acme");
        await page.GetByLabel("Address (slug)").FillAsync(slug);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Workspace Acme is ready" }).WaitForAsync();
        await browser.StepAsync("workspace-created");

        // Open it at https://{slug}.localhost: a host of its own, whose session the portal's sign-in hands over.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Open {slug}" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync($"{browser.WorkspaceHost(slug)}workspace");
        await browser.StepAsync("workspace-home");

        // "Try Now" on the API card leads to the API Tokens screen.
        var card = page.GetByRole(AriaRole.Region, new() { Name = "Build Your Own Applications with our API" });
        await card.GetByRole(AriaRole.Link, new() { Name = "Try Now" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync($"{browser.WorkspaceHost(slug)}workspace/developers");
        await browser.StepAsync("api-tokens");

        // Create a key and copy it, and the ORG key, with the Copy buttons.
        await page.GetByLabel("Key name").FillAsync("Quickstart");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Your new API key" }).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy API key" }).ClickAsync();
        var apiKey = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        await browser.StepAsync("key-copied");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy ORG key" }).ClickAsync();
        var orgKey = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.StartsWith("wh_live_", apiKey, StringComparison.Ordinal);
        Assert.StartsWith("org_", orgKey, StringComparison.Ordinal);

        // Allow one browser origin.
        var allowed = $"https://app.localhost:{browser.Root.Port}";
        await page.GetByLabel("Origin").FillAsync(allowed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add domain" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = allowed }).WaitForAsync();
        await browser.StepAsync("domain-added");

        // The copied key works against the API from a server, for this organization and workspace.
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication") { Headers = { { "Authorization", $"Bearer {apiKey}" } } };
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(orgKey, body.GetProperty("orgKey").GetString());
        Assert.Equal(slug, body.GetProperty("workspace").GetString());

        // From a browser: a page on the allowed origin may call the API. A page on an origin no workspace
        // allows is refused at the preflight, so the call is never sent; one that only another workspace
        // allows passes the preflight and is refused at the call itself (403 origin_not_allowed without
        // Access-Control-Allow-Origin, as the HTTP tests of the Domains feature check).
        Assert.Equal("status:200", await CallFromPageAsync(browser, allowed, apiKey));
        var evil = $"https://evil.localhost:{browser.Root.Port}";
        Assert.Equal("blocked:TypeError", await CallFromPageAsync(browser, evil, apiKey));
        await AssertServerRefusesOriginAsync(server, evil, apiKey);
        var other = $"https://other.localhost:{browser.Root.Port}";
        await AllowInAnotherWorkspaceAsync(server, other);
        Assert.Equal("blocked:TypeError", await CallFromPageAsync(browser, other, apiKey));
        await AssertServerRefusesOriginAsync(server, other, apiKey);
    }

    static async Task AllowInAnotherWorkspaceAsync(TestServer server, string origin)
    {
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "other");
        await using var scope = server.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<DomainService>()
            .AddAsync(workspace.Id, origin, new Common.Actor(owner.Id), TestContext.Current.CancellationToken);
        Assert.True(added.Succeeded);
    }

    /// <summary>
    /// Opens a page at <paramref name="origin"/> (a <c>*.localhost</c> name of the test server itself,
    /// so a real origin with real preflights: Playwright's own routing would answer them) and calls
    /// <c>POST /authentication</c> from it with fetch, as a site using the key would. Answers
    /// <c>status:N</c> when the page could read the answer, or <c>blocked:Name</c> with the name of the
    /// error fetch threw: a CORS refusal is a <c>TypeError</c>, and only after the page itself loaded
    /// from this server, so a dead server or a certificate problem cannot pass for a refusal.
    /// </summary>
    static async Task<string> CallFromPageAsync(PortalBrowser browser, string origin, string apiKey)
    {
        var page = await browser.Context.NewPageAsync();
        var loaded = await page.GotoAsync($"{origin}/health");
        Assert.Equal(200, loaded!.Status);
        var api = new Uri(browser.Root, "/authentication").ToString();
        var outcome = await page.EvaluateAsync<string>(
            """
            async ([url, key]) => {
              try {
                const response = await fetch(url, { method: "POST", headers: { Authorization: "Bearer " + key } });
                return "status:" + response.status;
              } catch (error) {
                return "blocked:" + error.name;
              }
            }
            """, new[] { api, apiKey });
        await browser.StepAsync($"call-from-{new Uri(origin).Host.Split('.')[0]}", page);
        await page.CloseAsync();
        return outcome;
    }

    /// <summary>What the server itself answers a call from <paramref name="origin"/>: the refusal the browser only sees as a TypeError.</summary>
    static async Task AssertServerRefusesOriginAsync(TestServer server, string origin, string apiKey)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication")
        {
            Headers = { { "Authorization", $"Bearer {apiKey}" }, { "Origin", origin } },
        };
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(DomainErrors.OriginNotAllowedCode, body.GetProperty("error").GetProperty("code").GetString());
    }
}
