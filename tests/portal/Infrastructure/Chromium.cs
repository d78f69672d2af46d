using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Hatbox.PortalTests.Infrastructure.Chromium))]

namespace Hatbox.PortalTests.Infrastructure;

/// <summary>
/// One headless Chromium for the whole run: Debian's <c>/usr/bin/chromium</c> driven by Playwright
/// (browser downloads are impossible here). Each test opens its own context, so cookies and
/// permissions never leak between tests.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // This machine has no network: without these, Chromium keeps dialling Google's services.
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
