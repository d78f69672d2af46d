using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Portal.Pages;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Management;

namespace Hatbox.Tests.Accounts;

/// <summary>
/// One sign-in: signed in on the portal host, a browser reaches a workspace host through a signed,
/// single-use, short-lived handoff; the token works nowhere else, not twice, not late, and not in
/// another browser; signing out on either host ends both.
/// </summary>
public sealed class HandoffTests(AccountsServer fixture) : IClassFixture<AccountsServer>
{
    readonly TestServer _server = fixture.Server;

    [Fact]
    public async Task ASignedInBrowserReachesTheWorkspaceHostWithoutSigningInAgain()
    {
        var (browser, slug) = await SignedInWithWorkspaceAsync();
        using var _ = browser;

        var hops = await browser.FollowAsync(new Uri(browser.Workspace(slug), "/workspace/members"));

        try
        {
            var paths = hops.Select(h => h.RequestMessage!.RequestUri!).ToList();
            Assert.Equal(
                [$"{slug}.localhost/workspace/members", $"{slug}.localhost/handoff/start", "localhost/handoff", $"{slug}.localhost/handoff/complete", $"{slug}.localhost/workspace/members"],
                paths.Select(u => u.Host + u.AbsolutePath));
            Assert.Equal(HttpStatusCode.OK, hops[^1].StatusCode);
        }
        finally
        {
            hops.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public async Task AHandoffTokenWorksOnce()
    {
        var (browser, slug) = await SignedInWithWorkspaceAsync();
        using var _ = browser;
        var complete = await CompletionUrlAsync(browser, slug);
        var nonce = NonceCookie(browser, slug);
        using (var first = await browser.GetAsync(complete))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }
        SetNonce(browser, slug, nonce);

        using var replay = await browser.GetAsync(complete);

        AssertRefused(replay);
    }

    [Fact]
    public async Task ALateHandoffTokenIsRefused()
    {
        var (browser, slug) = await SignedInWithWorkspaceAsync();
        using var _ = browser;
        var complete = await CompletionUrlAsync(browser, slug);
        fixture.LinkClock.Advance(TimeSpan.FromSeconds(61));

        using var late = await browser.GetAsync(complete);

        AssertRefused(late);
        await AssertSignedOutAsync(browser, browser.Workspace(slug));
    }

    [Fact]
    public async Task AHandoffTokenOpenedInAnotherBrowserIsRefused()
    {
        // Login CSRF through the handoff: an attacker's token sent to a victim's browser.
        var (attacker, slug) = await SignedInWithWorkspaceAsync();
        using var _ = attacker;
        var complete = await CompletionUrlAsync(attacker, slug);
        using var victim = new HostBrowser(_server);
        using (var start = await victim.GetAsync(new Uri(victim.Workspace(slug), "/handoff/start?returnUrl=%2Fworkspace")))
        {
            Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        }

        using var response = await victim.GetAsync(complete);

        AssertRefused(response);
        await AssertSignedOutAsync(victim, victim.Workspace(slug));
    }

    [Fact]
    public async Task AHandoffTokenForOneWorkspaceHostDoesNotOpenAnother()
    {
        var (browser, slug) = await SignedInWithWorkspaceAsync();
        using var _ = browser;
        var complete = await CompletionUrlAsync(browser, slug);
        var other = PortalSteps.NewSlug();
        SetNonce(browser, other, NonceCookie(browser, slug));

        using var response = await browser.GetAsync(new Uri(browser.Workspace(other), complete.PathAndQuery));

        AssertRefused(response);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("missing")]
    public async Task AForgedHandoffTokenIsRefused(string kind)
    {
        var (browser, slug) = await SignedInWithWorkspaceAsync();
        using var _ = browser;
        var complete = await CompletionUrlAsync(browser, slug);
        var token = Mailbox.Token(complete);
        var forged = kind == "missing" ? "" : token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");

        using var response = await browser.GetAsync(new Uri(browser.Workspace(slug), $"/handoff/complete?token={Uri.EscapeDataString(forged)}"));

        AssertRefused(response);
    }

    [Fact]
    public async Task SigningOutOnTheWorkspaceHostEndsThePortalSessionToo()
    {
        var (browser, slug) = await SignedInWithWorkspaceAsync();
        using var _ = browser;
        await HandOffAsync(browser, slug);

        await SignOutAsync(browser, browser.Workspace(slug), expectSignedIn: true);

        await AssertSignedOutAsync(browser, browser.Portal);
    }

    [Fact]
    public async Task SigningOutOnThePortalHostEndsTheWorkspaceSessionsAndTheirPendingHandoffs()
    {
        var (browser, slug) = await SignedInWithWorkspaceAsync();
        using var _ = browser;
        await HandOffAsync(browser, slug);
        var pending = await CompletionUrlAsync(browser, slug);

        await SignOutAsync(browser, browser.Portal, expectSignedIn: true);

        await AssertSignedOutAsync(browser, browser.Workspace(slug));
        using var late = await browser.GetAsync(pending);
        AssertRefused(late);
    }

    [Fact]
    public async Task ASignedOutBrowserIsSentToSignInOnThePortalHostAndComesBack()
    {
        var (owner, slug) = await SignedInWithWorkspaceAsync();
        owner.Dispose();
        using var browser = new HostBrowser(_server);

        var hops = await browser.FollowAsync(new Uri(browser.Workspace(slug), "/workspace"));

        try
        {
            var last = hops[^1].RequestMessage!.RequestUri!;
            Assert.Equal(("localhost", "/signin"), (last.Host, last.AbsolutePath));
            var returnUrl = Uri.UnescapeDataString(last.Query);
            Assert.Contains("/handoff?workspace=" + slug, returnUrl, StringComparison.Ordinal);
        }
        finally
        {
            hops.ForEach(h => h.Dispose());
        }
    }

    /// <summary>A browser signed in on the portal host, as the admin of a new workspace.</summary>
    async Task<(HostBrowser Browser, string Slug)> SignedInWithWorkspaceAsync()
    {
        using var person = await Person.SignUpAsync(_server);
        var slug = PortalSteps.NewSlug();
        await person.CreateWorkspaceAsync(slug);
        var browser = new HostBrowser(_server);
        using var signIn = await browser.PostJsonAsync(new Uri(browser.Portal, "/v1/sessions"), new { email = person.Email, password = Person.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        return (browser, slug);
    }

    /// <summary>Runs steps 1 and 2 of the handoff and returns the completion URL the portal host sent the browser to, unopened.</summary>
    static async Task<Uri> CompletionUrlAsync(HostBrowser browser, string slug)
    {
        using var start = await browser.GetAsync(new Uri(browser.Workspace(slug), "/handoff/start?returnUrl=%2Fworkspace"));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        using var issue = await browser.GetAsync(start.Headers.Location!);
        Assert.Equal(HttpStatusCode.Redirect, issue.StatusCode);
        var complete = issue.Headers.Location!;
        Assert.Equal((browser.Workspace(slug).Authority, "/handoff/complete"), (complete.Authority, complete.AbsolutePath));
        return complete;
    }

    static async Task HandOffAsync(HostBrowser browser, string slug)
    {
        using var completed = await browser.GetAsync(await CompletionUrlAsync(browser, slug));
        Assert.Equal(HttpStatusCode.Redirect, completed.StatusCode);
    }

    static void AssertRefused(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.TokenInvalid, response.Headers.GetValues(HandoffCompleteModel.FailureHeader).Single());
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var set) ? set : [],
            c => c.StartsWith("__Host-hatbox=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
    }

    static async Task AssertSignedOutAsync(HostBrowser browser, Uri host)
    {
        using var me = await browser.GetAsync(new Uri(host, "/v1/me"));
        await ErrorAssert.IsErrorAsync(me, HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
    }

    static async Task SignOutAsync(HostBrowser browser, Uri host, bool expectSignedIn)
    {
        using var csrf = await browser.GetAsync(new Uri(host, "/v1/antiforgery"));
        Assert.Equal(expectSignedIn, csrf.StatusCode == HttpStatusCode.OK);
        var token = (await Person.ReadAsync(csrf, HttpStatusCode.OK)).GetProperty("token").GetString()!;
        using var signOut = await browser.DeleteAsync(new Uri(host, "/v1/sessions/current"), token);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
    }

    static string NonceCookie(HostBrowser browser, string slug) =>
        browser.Cookies.GetCookies(browser.Workspace(slug))["__Host-hatbox-handoff"]!.Value;

    static void SetNonce(HostBrowser browser, string slug, string nonce) =>
        browser.Cookies.Add(browser.Workspace(slug), new Cookie("__Host-hatbox-handoff", nonce, "/"));
}
