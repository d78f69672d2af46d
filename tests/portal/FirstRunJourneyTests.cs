using System.Diagnostics;
using Hatbox.PortalTests.Infrastructure;
using Microsoft.Playwright;

namespace Hatbox.PortalTests;

/// <summary>
/// A person's first minutes in a browser that trusts the local authority as <c>hatbox tls trust</c> leaves
/// it, with no certificate error allowed: from <c>https://localhost/</c> to a copied key on the workspace's own host.
/// </summary>
public sealed class FirstRunJourneyTests(Chromium chromium) : IDisposable
{
    readonly string _home = Directory.CreateTempSubdirectory("hatbox-chromium-home-").FullName;

    [Fact]
    public async Task FromTheStartPageToACopiedKeyWithTheLocalAuthorityTrustedAndNoCertificateError()
    {
        await using var server = await TestServer.StartAsync();
        await TrustAsync(server.DataDirectory);
        await using var browser = await chromium.LaunchWithHomeAsync(_home);
        // No IgnoreHTTPSErrors: a certificate Chromium does not trust fails the navigation.
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Permissions = ["clipboard-read", "clipboard-write"],
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add($"console: {message.Text}"); };
        page.RequestFailed += (_, request) => problems.Add($"failed: {request.Url} {request.Failure}");
        var root = new Uri($"https://localhost:{server.HttpsAddress.Port}/");
        var email = Seed.UniqueEmail("first");
        var slug = Seed.UniqueSlug("first");

        var start = await page.GotoAsync(root.ToString());
        Assert.Equal(200, start!.Status);
        Assert.StartsWith("Hatbox local authority", (await start.SecurityDetailsAsync())!.Issuer, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign up" }).ClickAsync();
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Your name").FillAsync("Grace Hopper");
        await page.GetByLabel("Password").FillAsync(Seed.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(root, "/workspaces").ToString());
        await page.GetByLabel("Workspace name").FillAsync("First");
        await page.GetByLabel("Address (slug)").FillAsync(slug);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();

        // The workspace's own host: a certificate of its own name from the same authority, and the portal's
        // sign-in carried over by the single-use handoff, so no second sign-in form on the way.
        var workspaceHost = new Uri($"https://{slug}.localhost:{root.Port}/");
        var documents = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.ResourceType == "document")
            {
                documents.Add(new Uri(request.Url).AbsolutePath);
            }
        };
        var opened = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Link, new() { Name = $"Open {slug}" }).ClickAsync(),
            response => response.Url.StartsWith(workspaceHost.ToString(), StringComparison.Ordinal));
        var details = (await opened.SecurityDetailsAsync())!;
        Assert.Equal($"{slug}.localhost", details.SubjectName);
        Assert.StartsWith("Hatbox local authority", details.Issuer, StringComparison.Ordinal);
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(workspaceHost, "/workspace").ToString());
        Assert.Equal(["/workspace", "/handoff/start", "/handoff", "/handoff/complete", "/workspace"], documents);
        Assert.Equal(0, await page.GetByLabel("Password").CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Try Now" }).ClickAsync();

        // Create a key: after the post the page is a plain GET again, showing the secret once.
        await page.GetByLabel("Key name").FillAsync("First key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(workspaceHost, "/workspace/developers").ToString());
        var shown = await page.GetByLabel("API key “First key”").InputValueAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy API key" }).ClickAsync();
        Assert.Equal(shown, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        Assert.StartsWith("wh_live_", shown, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy ORG key" })).ToBeVisibleAsync();

        // A reload re-posts nothing and shows the secret no more.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { Name = "Your new API key" }).CountAsync());
        Assert.DoesNotContain(shown, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("table tbody tr").CountAsync());
        Assert.Empty(problems);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    /// <summary><c>hatbox tls trust</c> for this test's home folder only (<c>--skip-system</c>): the machine stays as it was.</summary>
    async Task TrustAsync(string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Hatbox.dll"), "tls", "trust", "--data", dataDirectory, "--skip-system" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["HOME"] = _home },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        output += await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"hatbox tls trust: {output}");
    }
}
