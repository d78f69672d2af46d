using Hatbox.Features.ApiKeys;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>The portal's cookie, headers, antiforgery, lockout, and that a key's secret is shown once only.</summary>
public sealed class SecurityTests(Chromium chromium)
{
    [Fact]
    public async Task TheSessionCookieIsAHostOnlySecureHttpOnlyLaxCookie()
    {
        await using var server = await TestServer.StartAsync();
        var user = await Seed.UserAsync(server, Seed.UniqueEmail("ada"));
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(user.Email);

        var session = Assert.Single(await browser.Context.CookiesAsync(), c => c.Name == "__Host-hatbox");
        Assert.True(session.HttpOnly);
        Assert.True(session.Secure);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.Equal("/", session.Path);
        Assert.Equal("localhost", session.Domain); // no Domain attribute: this host only, not *.localhost
    }

    [Fact]
    public async Task PagesCarryAContentSecurityPolicyAndAreNeverCached()
    {
        await using var server = await TestServer.StartAsync();
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);

        var response = await browser.GoAsync("/signin");
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("script-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("no-store", headers["cache-control"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
    }

    [Fact]
    public async Task AFormPostedWithoutItsAntiforgeryTokenChangesNothing()
    {
        await using var server = await TestServer.StartAsync();
        var (user, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "ada");
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(user.Email);

        // The session cookie rides along, as in a cross-site form post; the token does not.
        var forged = await browser.Page.APIRequest.PostAsync(
            new Uri(browser.Root, $"/w/{workspace.Slug}/workspace/developers?handler=CreateKey").ToString(),
            new() { Form = browser.Page.APIRequest.CreateFormData().Set("KeyName", "forged") });
        var signIn = await browser.Page.APIRequest.PostAsync(new Uri(browser.Root, "/signin").ToString(),
            new() { Form = browser.Page.APIRequest.CreateFormData().Set("Email", user.Email).Set("Password", Seed.Password) });

        Assert.Equal(400, forged.Status);
        Assert.Equal(400, signIn.Status);
        await using var scope = server.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<ApiKeyService>().ListAsync(workspace.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ANewKeyIsShownOnceAndNeverAgain()
    {
        await using var server = await TestServer.StartAsync();
        var (user, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "ada");
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        var tokens = $"/w/{workspace.Slug}/workspace/developers";
        await browser.SignInAsync(user.Email, tokens);

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var secret = await browser.Page.GetByLabel("API key “API key”").InputValueAsync();
        Assert.StartsWith("wh_live_", secret, StringComparison.Ordinal);

        await browser.GoAsync(tokens);
        Assert.DoesNotContain(secret, await browser.Page.ContentAsync(), StringComparison.Ordinal);
        // Back to the answer of the POST: not cached (no-store), so the browser will not show it again.
        var back = await Record.ExceptionAsync(() => browser.Page.GoBackAsync());
        Assert.Contains("ERR_CACHE_MISS", back?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedWrongPasswordsLockTheAccountWithTheSameAnswer()
    {
        await using var server = await TestServer.StartAsync();
        var user = await Seed.UserAsync(server, Seed.UniqueEmail("ada"));
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);

        await browser.GoAsync("/signin");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await browser.SubmitSignInAsync(user.Email, "wrong password " + attempt);
            await browser.Page.GetByRole(AriaRole.Alert).WaitForAsync();
        }
        var wrong = await browser.Page.GetByRole(AriaRole.Alert).InnerTextAsync();
        await browser.SubmitSignInAsync(user.Email, Seed.Password);
        await browser.Page.GetByRole(AriaRole.Alert).WaitForAsync();
        await browser.StepAsync("locked");

        Assert.EndsWith("/signin", new Uri(browser.Page.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(wrong, await browser.Page.GetByRole(AriaRole.Alert).InnerTextAsync());
        Assert.DoesNotContain(await browser.Context.CookiesAsync(), c => c.Name == "__Host-hatbox");
    }
}
