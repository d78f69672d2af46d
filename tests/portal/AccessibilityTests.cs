using Deque.AxeCore.Playwright;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>
/// Every page passes axe-core's checks (labels, names, contrast, landmarks), fits a phone's
/// width, and the tokens screen works from the keyboard alone.
/// </summary>
public sealed class AccessibilityTests(Chromium chromium)
{
    static readonly string[] WorkspacePages = ["", "/developers", "/members", "/usage", "/settings", "/flows", "/flows/new"];

    [Fact]
    public async Task EveryPageHasNoAccessibilityViolations()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);

        var violations = new List<string>();
        foreach (var page in new[] { "/signup", "/signin" })
        {
            await browser.GoAsync(page);
            violations.AddRange(await ViolationsAsync(browser.Page, page));
        }
        await browser.SignInAsync(owner.Email);
        violations.AddRange(await ViolationsAsync(browser.Page, "/workspaces"));
        foreach (var page in WorkspacePages)
        {
            var path = $"/w/{workspace.Slug}/workspace{page}";
            await browser.GoAsync(path);
            violations.AddRange(await ViolationsAsync(browser.Page, path));
        }
        // The one-time key panel and a form error too.
        await browser.GoAsync($"/w/{workspace.Slug}/workspace/developers");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        await browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Your new API key" }).WaitForAsync();
        violations.AddRange(await ViolationsAsync(browser.Page, "new key"));
        await browser.Page.GetByLabel("Origin").FillAsync("not an origin");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Add domain" }).ClickAsync();
        await browser.Page.Locator(".field-error").Filter(new() { HasText = "origin" }).WaitForAsync();
        violations.AddRange(await ViolationsAsync(browser.Page, "domain error"));

        Assert.Empty(violations);
    }

    [Fact]
    public async Task EveryPageFitsANarrowScreen()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        await AccessTests.CreateKeyAsync(server, workspace.Id, owner.Id);
        await using var browser = await PortalBrowser.OpenAsync(chromium, server, new ViewportSize { Width = 360, Height = 740 });
        await browser.SignInAsync(owner.Email);

        var overflowing = new List<string>();
        foreach (var page in WorkspacePages)
        {
            await browser.GoAsync($"/w/{workspace.Slug}/workspace{page}");
            await browser.StepAsync($"narrow{page.Replace('/', '-')}");
            // Wide tables scroll inside their own region; the page itself must not scroll sideways.
            if (await browser.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"))
            {
                overflowing.Add(page);
            }
        }
        Assert.Empty(overflowing);
    }

    [Fact]
    public async Task AKeyIsCreatedAndCopiedWithTheKeyboardAlone()
    {
        await using var server = await TestServer.StartAsync();
        var (owner, workspace) = await Seed.OwnerAndWorkspaceAsync(server, "owner");
        await using var browser = await PortalBrowser.OpenAsync(chromium, server);
        await browser.SignInAsync(owner.Email, $"/w/{workspace.Slug}/workspace/developers");

        await TabToAsync(browser.Page, "#key-name");
        await browser.Page.Keyboard.TypeAsync("Keyboard");
        await browser.Page.Keyboard.PressAsync("Enter");
        await browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Your new API key" }).WaitForAsync();
        await TabToAsync(browser.Page, "button[data-copy=new-key]");
        await browser.StepAsync("copy-focused");
        await browser.Page.Keyboard.PressAsync("Enter");

        var copied = await browser.Page.EvaluateAsync<string>("navigator.clipboard.readText()");
        Assert.Equal(await browser.Page.Locator("#new-key").InputValueAsync(), copied);
    }

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has focus, as a keyboard user would.</summary>
    static async Task TabToAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 40; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) === true", selector))
            {
                return;
            }
        }
        Assert.Fail($"Tab never reached {selector}.");
    }

    static async Task<IEnumerable<string>> ViolationsAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        return result.Violations.Select(v => $"{name}: {v.Id} ({v.Impact}) on {string.Join(", ", v.Nodes.Select(n => n.Target))}");
    }
}
