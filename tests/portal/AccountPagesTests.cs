using Hatbox.Features.Workspaces;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>Verification, password reset and the sign-in handoff, in Chromium, with the links read from the server's outbox.</summary>
public sealed class AccountPagesTests(Chromium chromium)
{
    [Fact]
    public async Task AStrangerWhoSignsUpWithAnInvitedAddressSeesNoWorkspaceUntilTheLinkSentToItIsUsed()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        var invited = Seed.UniqueEmail("newhire");
        await InviteAsync(server, workspace, owner.Id, invited, "admin");
        await using var stranger = await PortalBrowser.OpenAsync(chromium, server);

        await stranger.SignUpAsync(invited, Seed.Password, "Not The New Hire");
        await stranger.StepAsync("signed-up-unverified");
        await Assertions.Expect(stranger.Page.GetByRole(AriaRole.Link, new() { Name = workspace.Name })).ToHaveCountAsync(0);
        var members = await stranger.GoAsync($"/w/{workspace.Slug}/workspace/members");
        Assert.Equal(404, members!.Status);

        // Only someone who reads the mail of that address gets the link; using it joins the workspace.
        await stranger.Page.GotoAsync((await Mailbox.LinkAsync(server, invited, "/verify-email")).ToString());
        await stranger.Page.GetByRole(AriaRole.Button, new() { Name = "Confirm my address" }).ClickAsync();
        await stranger.Page.GetByRole(AriaRole.Heading, new() { Name = $"{invited} is confirmed" }).WaitForAsync();
        await stranger.StepAsync("verified");
        await stranger.GoAsync("/workspaces");
        await Assertions.Expect(stranger.Page.GetByRole(AriaRole.Link, new() { Name = workspace.Name }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AForgottenPasswordIsResetByTheLinkAndTheOldSessionEnds()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, _) = await Seed.OwnerAndWorkspaceAsync(server, "ada");
        await using var oldBrowser = await PortalBrowser.OpenAsync(chromium, server, test: "old-browser");
        await oldBrowser.SignInAsync(owner.Email);
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);

        await browser.GoAsync("/signin");
        await browser.Page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await browser.Page.GetByLabel("E-mail").FillAsync(owner.Email);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Send reset link" }).ClickAsync();
        await browser.Page.GetByRole(AriaRole.Status).WaitForAsync();
        await browser.StepAsync("reset-asked");
        var link = await Mailbox.LinkAsync(server, owner.Email, "/reset-password");
        await browser.Page.GotoAsync(new Uri(browser.Root, link.PathAndQuery).ToString());
        await browser.Page.GetByLabel("New password").FillAsync("a brand new password");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
        await Assertions.Expect(browser.Page).ToHaveURLAsync(new Uri(browser.Root, "/workspaces").ToString());
        await browser.StepAsync("reset-done");

        // The browser signed in before the reset is out.
        await oldBrowser.GoAsync("/workspaces");
        Assert.Contains("/signin", oldBrowser.Page.Url, StringComparison.Ordinal);
        // The link is spent.
        await browser.Page.GotoAsync(new Uri(browser.Root, link.PathAndQuery).ToString());
        await browser.Page.GetByLabel("New password").FillAsync("yet another password");
        var again = browser.Page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
        Assert.Equal(400, (await again).Status);
        await browser.Page.GetByRole(AriaRole.Alert).WaitForAsync();
    }

    [Fact]
    public async Task SigningInOnThePortalHostOpensTheWorkspaceHostAndSigningOutThereEndsBoth()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "ada");
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(owner.Email);

        // No second sign-in: the workspace host takes the portal host's sign-in over.
        await browser.Page.GotoAsync(new Uri(browser.WorkspaceHost(workspace.Slug), "/workspace/members").ToString());
        await Assertions.Expect(browser.Page).ToHaveURLAsync($"{browser.WorkspaceHost(workspace.Slug)}workspace/members");
        await browser.StepAsync("workspace-host-signed-in");
        var cookies = await browser.Context.CookiesAsync();
        // Two host-only sessions, one per host; no cookie for a whole domain (a leading dot).
        Assert.Equal(["localhost", browser.WorkspaceHost(workspace.Slug).Host],
            cookies.Where(c => c.Name == "__Host-hatbox").Select(c => c.Domain).Order(StringComparer.Ordinal));

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await browser.GoAsync("/workspaces");
        Assert.Contains("/signin", browser.Page.Url, StringComparison.Ordinal);
        await browser.StepAsync("signed-out-everywhere");
    }

    static async Task InviteAsync(TestServer server, WorkspaceResponse workspace, string ownerId, string email, string role)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var invited = await scope.ServiceProvider.GetRequiredService<InvitationService>()
            .InviteAsync(workspace.Id, email, role, new Hatbox.Common.Actor(ownerId), TestContext.Current.CancellationToken);
        Assert.True(invited.Succeeded);
    }
}
