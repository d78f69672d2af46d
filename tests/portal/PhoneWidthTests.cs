using Hatbox.Features.ApiKeys;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>The pages of the first minutes on a phone (390 px wide), and the usage chart's axes.</summary>
public sealed class PhoneWidthTests(Chromium chromium)
{
    static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>Words in the element's text that the layout split across two lines.</summary>
    const string WordsBrokenAcrossLines = """
        element => {
          const broken = [];
          const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
          for (let node; (node = walker.nextNode());) {
            if (node.parentElement.closest(".visually-hidden")) continue;
            for (const match of node.textContent.matchAll(/\S+/g)) {
              const range = document.createRange();
              range.setStart(node, match.index);
              range.setEnd(node, match.index + match[0].length);
              const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
              if (lines.size > 1) broken.push(match[0]);
            }
          }
          return broken;
        }
        """;

    const string PageOverflow = "() => document.documentElement.scrollWidth - window.innerWidth";

    [Fact]
    public async Task OnAPhoneTheKeysReadAsCardsWithNoWordBrokenAndNothingWiderThanTheScreen()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "phone");
        foreach (var name in new[] { "Production server", "Nightly reporting" })
        {
            await using var scope = server.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(
                workspace.Id, owner.Id, new Common.Actor(owner.Id), new CreateApiKeyRequest(name, null), TestContext.Current.CancellationToken);
        }
        await using var browser = await PortalBrowser.OpenAsync(chromium, server, Phone);

        await browser.SignInAsync(owner.Email, $"/w/{workspace.Slug}/workspace/developers");
        await browser.StepAsync("developers-phone");

        var table = browser.Page.Locator("table.stack");
        Assert.Equal(2, await table.Locator("tbody tr").CountAsync());
        Assert.Empty(await table.Locator("tbody").EvaluateAsync<string[]>(WordsBrokenAcrossLines));
        Assert.True(await browser.Page.EvaluateAsync<int>(PageOverflow) <= 0, "the page scrolls sideways");
        // Each cell says what it is (its data-label, drawn before it), since the header row is out of sight.
        var status = table.Locator("tbody tr").First.Locator("td[data-label='Status']");
        Assert.Equal("active", (await status.InnerTextAsync()).Trim());
        Assert.Contains("Status", await status.EvaluateAsync<string>("cell => getComputedStyle(cell, '::before').content"), StringComparison.Ordinal);
        Assert.False(await table.Locator("thead").IsVisibleAsync() && await table.Locator("thead").BoundingBoxAsync() is { Height: > 2 });
    }

    [Fact]
    public async Task TheStartPageAndTheNotFoundPageFitAPhone()
    {
        await using var server = await TestServer.StartAsync();
        await using var browser = await PortalBrowser.OpenAsync(chromium, server, Phone);

        var start = await browser.GoAsync("/");
        await browser.StepAsync("start-phone");
        Assert.Equal(200, start!.Status);
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Link, new() { Name = "Sign up" })).ToBeVisibleAsync();
        Assert.True(await browser.Page.EvaluateAsync<int>(PageOverflow) <= 0);

        var missing = await browser.GoAsync("/no-such-page");
        await browser.StepAsync("not-found-phone");
        Assert.Equal(404, missing!.Status);
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        Assert.True(await browser.Page.EvaluateAsync<int>(PageOverflow) <= 0);
    }

    [Fact]
    public async Task TheUsageChartHasLabelledAxesWithRoundTicksOnAPhoneToo()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "chart");
        var key = await AccessTests.CreateKeyAsync(server, workspace.Id, owner.Id);
        using var client = server.CreateClient();
        for (var i = 0; i < 7; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication") { Headers = { { "Authorization", $"Bearer {key.ApiKey}" } } };
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }
        await using var browser = await PortalBrowser.OpenAsync(chromium, server, Phone);

        await browser.SignInAsync(owner.Email, $"/w/{workspace.Slug}/workspace/usage");
        await browser.StepAsync("usage-phone");

        var chart = browser.Page.Locator("svg.chart");
        var yTicks = await chart.Locator("text.y-tick").AllTextContentsAsync();
        Assert.Equal("0", yTicks[0]);
        Assert.True(long.Parse(yTicks[^1], System.Globalization.CultureInfo.InvariantCulture) >= 7);
        Assert.Contains("1", await chart.Locator("text.x-tick").AllTextContentsAsync());
        Assert.Equal(2, await chart.Locator("text.axis-title").CountAsync());
        Assert.True(await browser.Page.EvaluateAsync<int>(PageOverflow) <= 0);
    }
}
