using Hatbox.Features.Accounts;
using Hatbox.Features.Versions;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>Members, usage and billing, and settings, used the way an admin would.</summary>
public sealed class ManagementPagesTests(Chromium chromium)
{
    [Fact]
    public async Task AnAdminInvitesSomeoneAndMakesThemADeveloperWhoThenReachesTheTokensScreen()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        await using var admin = await PortalBrowser.OpenAsync(chromium, server);
        var members = $"/w/{workspace.Slug}/workspace/members";
        await admin.SignInAsync(owner.Email, members);

        // Invite as a plain member; they join by signing up with that address and confirming it.
        var email = Seed.UniqueEmail("grace");
        await admin.Page.GetByLabel("E-mail").FillAsync(email);
        await admin.Page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("member");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await admin.Page.GetByRole(AriaRole.Status).WaitForAsync();
        await admin.StepAsync("invited");
        await using (var invitee = await PortalBrowser.OpenAsync(chromium, server, test: "invitee"))
        {
            await invitee.SignUpAsync(email, Seed.Password, "Grace Hopper");
            await invitee.Page.GotoAsync((await Mailbox.LinkAsync(server, email, "/verify-email")).ToString());
            await invitee.Page.GetByRole(AriaRole.Button, new() { Name = "Confirm my address" }).ClickAsync();
            await invitee.Page.GetByRole(AriaRole.Heading, new() { Name = $"{email} is confirmed" }).WaitForAsync();
        }

        // Make them a developer with API access.
        await admin.GoAsync(members);
        await admin.Page.GetByLabel($"Role of {email}").SelectOptionAsync("developer");
        await admin.Page.GetByLabel($"API access for {email}").CheckAsync();
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Save {email}" }).ClickAsync();
        await admin.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "developer" }).WaitForAsync();
        await admin.StepAsync("made-developer");

        // The last admin cannot demote themselves: the page says why and nothing changes.
        await admin.Page.GetByLabel($"Role of {owner.Email}").SelectOptionAsync("member");
        var demote = admin.Page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Save {owner.Email}" }).ClickAsync();
        Assert.Equal(409, (await demote).Status);
        await admin.Page.GetByRole(AriaRole.Alert).WaitForAsync();
        await admin.StepAsync("last-admin-refused");

        await using var developer = await PortalBrowser.OpenAsync(chromium, server, test: "developer");
        await developer.SignInAsync(email, $"/w/{workspace.Slug}/workspace/developers");
        await developer.Page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).WaitForAsync();
        await developer.StepAsync("developer-tokens");
    }

    [Fact]
    public async Task UsageShowsTheRequestsOfTheMonthByDayKeyAndEndpointWithTheStatement()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        var key = await AccessTests.CreateKeyAsync(server, workspace.Id, owner.Id);
        using var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication") { Headers = { { "Authorization", $"Bearer {key.ApiKey}" } } };
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(owner.Email, $"/w/{workspace.Slug}/workspace/usage");
        await browser.StepAsync("usage");

        var byKey = browser.Page.GetByRole(AriaRole.Region, new() { Name = "By key" });
        Assert.Equal("3", await byKey.GetByRole(AriaRole.Row, new() { Name = key.Name }).GetByRole(AriaRole.Cell).InnerTextAsync());
        var bars = await browser.Page.Locator("svg.chart rect.bar").EvaluateAllAsync<int>("bars => bars.filter(b => +b.getAttribute('height') > 0).length");
        Assert.Equal(1, bars);
        var statement = browser.Page.GetByRole(AriaRole.Region, new() { Name = "Statement" });
        Assert.Contains("3", await statement.Locator("dd").Nth(2).InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdminUpgradesTheApiVersionRollsItBackAndSubscribesToNotices()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        await using (var scope = server.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ApiVersionService>()
                .SetAsync(workspace.OrganizationId, "2025-06-01", allowDowngrade: true, TestContext.Current.CancellationToken);
        }
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(owner.Email, $"/w/{workspace.Slug}/workspace/settings");

        await browser.Page.GetByLabel("Upgrade to").SelectOptionAsync("2025-10-28");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Upgrade" }).ClickAsync();
        await browser.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "2025-10-28" }).WaitForAsync();
        await browser.StepAsync("upgraded");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Roll back to 2025-06-01" }).ClickAsync();
        await browser.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "2025-06-01" }).WaitForAsync();
        await browser.StepAsync("rolled-back");

        await browser.Page.GetByLabel("E-mail me when a new API version is released").CheckAsync();
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await browser.Page.GetByRole(AriaRole.Status).WaitForAsync();

        await using var check = server.Services.CreateAsyncScope();
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await check.ServiceProvider.GetRequiredService<AccountService>().FindAsync(owner.Id, ct))!.NotifyNewVersions);
        var organization = Assert.Single(await check.ServiceProvider.GetRequiredService<ApiVersionService>().ForUserAsync(owner.Id, ct));
        Assert.Equal("2025-06-01", organization.ApiVersion);
    }
}
