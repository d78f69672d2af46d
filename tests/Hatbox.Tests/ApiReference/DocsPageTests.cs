using System.Net;
using System.Text.RegularExpressions;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.ApiReference;

/// <summary><c>/docs</c>: the Scalar reader, every asset of it served by Hatbox itself (no CDN, so it works offline).</summary>
public sealed partial class DocsPageTests() : ServerTest()
{
    [GeneratedRegex("""(?:src|href)\s*=\s*["']([^"']+)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex AssetReference();

    [GeneratedRegex("""https?://[^\s"'`)<>]+""", RegexOptions.IgnoreCase)]
    private static partial Regex AbsoluteUrl();

    [Fact]
    public async Task TheDocsPageAndEveryAssetItNamesComeFromThisServer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var page = await Http.GetAsync("/docs", ct);
        if (page.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Redirect)
        {
            Assert.Fail("Expected the page itself at /docs.");
        }
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(ct);

        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).Where(v => !v.StartsWith('#') && !v.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            var address = new Uri(new Uri(Server.HttpsAddress, "/docs/"), asset);
            Assert.True(address.Authority == Server.HttpsAddress.Authority, $"The docs page loads {asset} from another origin.");
            using var response = await Http.GetAsync(address, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
        }
        // Outside the script bundle itself, the page names no absolute address it would fetch from (fonts, CDN, telemetry).
        var external = AbsoluteUrl().Matches(html).Select(m => m.Value)
            .Where(u => !u.StartsWith(Server.HttpsAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)).ToList();
        Assert.True(external.Count == 0, "External addresses in /docs: " + string.Join(", ", external));
    }

    [Fact]
    public async Task TheDocsPageOffersEveryApiVersionFromThisServer()
    {
        var ct = TestContext.Current.CancellationToken;
        var html = await Http.GetStringAsync("/docs/", ct);

        foreach (var version in Hatbox.Features.Versions.ApiVersions.All)
        {
            // Scalar resolves each source against the origin and the path in front of /docs/ (none here).
            var source = "openapi/v1.json?version=" + version.Name;
            Assert.Contains($"\"url\":\"{source}\"", html, StringComparison.Ordinal);
            using var document = await Http.GetAsync("/" + source, ct);
            Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        }
    }
}
