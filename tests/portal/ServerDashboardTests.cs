using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>The server dashboard: requests, errors and latency an organization admin reads at a glance; members are refused.</summary>
public sealed class ServerDashboardTests(Chromium chromium)
{
    const string PageOverflow = "() => document.documentElement.scrollWidth - window.innerWidth";

    static async Task MakeRequestsAsync(TestServer server, string apiKey, int count)
    {
        using var client = server.CreateClient();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication") { Headers = { { "Authorization", $"Bearer {apiKey}" } } };
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task AnAdminSeesTheLastHourAndDayWithAxesAndBothPercentiles(int width, int height)
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        var key = await AccessTests.CreateKeyAsync(server, workspace.Id, owner.Id);
        await MakeRequestsAsync(server, key.ApiKey, 5);
        await using var browser = await PortalBrowser.OpenAsync(chromium, server, new ViewportSize { Width = width, Height = height },
            test: $"{nameof(AnAdminSeesTheLastHourAndDayWithAxesAndBothPercentiles)}-{width}");

        await browser.SignInAsync(owner.Email, $"/w/{workspace.Slug}/workspace/server");
        // The dashboard reads what the server's meters have taken in, which may be a moment behind the
        // answers: load the page again until the requests show (a deadline, not a fixed sleep).
        for (var attempt = 0; await browser.Page.Locator("svg.chart rect.bar").CountAsync() == 0; attempt++)
        {
            Assert.True(attempt < 40, "the requests never showed on the dashboard");
            await Task.Delay(250, TestContext.Current.CancellationToken);
            await browser.GoAsync($"/w/{workspace.Slug}/workspace/server");
        }
        await browser.StepAsync("server");

        foreach (var window in new[] { "Last hour", "Last day" })
        {
            var section = browser.Page.GetByRole(AriaRole.Region, new() { Name = window });
            var charts = section.Locator("svg.chart");
            Assert.Equal(2, await charts.CountAsync());
            var requests = charts.Nth(0);
            Assert.True(await requests.Locator("rect.bar").CountAsync() >= 1);
            var yTicks = await requests.Locator("text.y-tick").AllTextContentsAsync();
            Assert.Equal("0", yTicks[0]);
            Assert.True(double.Parse(yTicks[^1], System.Globalization.CultureInfo.InvariantCulture) >= 5);
            Assert.Matches("^[0-2][0-9]:[0-5][0-9]$", (await requests.Locator("text.x-tick").AllTextContentsAsync())[^1]);
            Assert.Equal(2, await requests.Locator("text.axis-title").CountAsync());

            var latency = charts.Nth(1);
            Assert.False(string.IsNullOrWhiteSpace(await latency.Locator("polyline.p50-line").GetAttributeAsync("points")));
            Assert.False(string.IsNullOrWhiteSpace(await latency.Locator("polyline.p95-line").GetAttributeAsync("points")));
            Assert.Equal(2, await latency.Locator("text.axis-title").CountAsync());
        }
        Assert.True(await browser.Page.EvaluateAsync<int>(PageOverflow) <= 0, "the page scrolls sideways");
    }

    [Fact]
    public async Task AMemberIsRefusedTheDashboard()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        var person = await Seed.UserAsync(server, Seed.UniqueEmail("member"));
        await Seed.MemberAsync(server, workspace, owner, person, "member", apiAccess: true);
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);

        await browser.SignInAsync(person.Email, $"/w/{workspace.Slug}/workspace/server");
        var reload = await browser.GoAsync($"/w/{workspace.Slug}/workspace/server");

        Assert.Equal(403, reload!.Status);
        Assert.Equal(0, await browser.Page.Locator("svg.chart").CountAsync());
    }
}
