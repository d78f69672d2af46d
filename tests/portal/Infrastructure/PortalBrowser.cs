using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Hatbox.PortalTests.Infrastructure;

/// <summary>
/// A browser context against one test server: trusts the server's self-signed certificate (by
/// ignoring certificate errors, which Chromium cannot be told per certificate from here), may use
/// the clipboard, and saves a screenshot of each named step under
/// <c>artifacts/portal-screenshots/{test}/</c>.
/// </summary>
public sealed class PortalBrowser : IAsyncDisposable
{
    readonly string _screenshots;
    int _step;

    PortalBrowser(IBrowserContext context, IPage page, Uri root, string screenshots)
    {
        Context = context;
        Page = page;
        Root = root;
        _screenshots = screenshots;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The server on its public host, <c>https://localhost:{port}</c>.</summary>
    public Uri Root { get; }

    public static async Task<PortalBrowser> OpenAsync(
        Chromium chromium, TestServer server, ViewportSize? viewport = null, [CallerMemberName] string test = "")
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        // Generous: CI runs these beside the HTTP tests on two cores. URLs are checked with Expect, which
        // polls the address: WaitForURLAsync also waits for a load event, and after a redirect on a busy
        // machine that wait sometimes never ended.
        context.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();
        var root = new Uri($"https://localhost:{server.HttpsAddress.Port}");
        var screenshots = Path.Combine(RepositoryRoot(), "artifacts", "portal-screenshots", test);
        return new PortalBrowser(context, page, root, screenshots);
    }

    /// <summary>A workspace's own host: <c>https://{slug}.localhost:{port}</c>, which Chromium resolves to loopback.</summary>
    public Uri WorkspaceHost(string slug) => new($"https://{slug}.localhost:{Root.Port}");

    public async Task<IResponse?> GoAsync(string pathOrUrl, IPage? page = null) =>
        await (page ?? Page).GotoAsync(new Uri(Root, pathOrUrl).ToString());

    /// <summary>Saves the page as <c>NN-step.png</c>, the record of what a user saw at this step.</summary>
    public async Task StepAsync(string name, IPage? page = null)
    {
        _step++;
        Directory.CreateDirectory(_screenshots);
        await (page ?? Page).ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(_screenshots, $"{_step:00}-{name}.png"),
            FullPage = true,
        });
    }

    public async Task SignUpAsync(string email, string password, string name = "Ada Lovelace")
    {
        await GoAsync("/signup");
        await Page.GetByLabel("E-mail").FillAsync(email);
        await Page.GetByLabel("Your name").FillAsync(name);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Uri(Root, "/workspaces").ToString());
    }

    /// <summary>Signs in on the public host and opens <paramref name="path"/>.</summary>
    public async Task SignInAsync(string email, string path = "/workspaces")
    {
        await GoAsync($"/signin?returnUrl={Uri.EscapeDataString(path)}");
        await SubmitSignInAsync(email, Seed.Password);
        await Assertions.Expect(Page).ToHaveURLAsync(new Uri(Root, path).ToString());
    }

    /// <summary>Fills the sign-in form on whatever host the page is on and submits it.</summary>
    public async Task SubmitSignInAsync(string email, string password)
    {
        await Page.GetByLabel("E-mail").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Hatbox.slnx")))
            {
                return directory.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
