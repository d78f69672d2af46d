using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Hatbox.Tests.Telemetry;

/// <summary>How the scrape listener is turned off, guarded by a token, and refused off loopback without one.</summary>
public sealed class MetricsListenerOptionsTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task PortZeroTurnsTheListenerAndTheExporterOff()
    {
        await using var server = await TestServer.StartAsync(new() { ["Metrics:Port"] = "0" });

        var addresses = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Assert.Equal([server.HttpsAddress.ToString().TrimEnd('/')], addresses.Select(a => a.TrimEnd('/')));
        Assert.Null(server.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task TheServeFlagSetsTheScrapePortAndZeroTurnsItOff()
    {
        var port = TestServer.FreePort();
        var data = Directory.CreateTempSubdirectory("hatbox-metrics-").FullName;
        try
        {
            await using (var on = await HatboxProcess.StartAsync(data, "--metrics-port", Port(port)))
            {
                using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                var scrape = await Scrape.FromAsync(scraper);
                Assert.True(scrape.Has("hatbox_usage_pending"));
            }
            await using (var off = await HatboxProcess.StartAsync(data, "--metrics-port", "0"))
            {
                using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await Assert.ThrowsAsync<HttpRequestException>(() => scraper.GetAsync("/metrics", Ct));
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task WithATokenAScrapeWithoutItOrWithAnotherIsRefused()
    {
        var port = TestServer.FreePort();
        const string token = "a-scrape-token-of-some-length";
        await using var server = await TestServer.StartAsync(new() { ["Metrics:Port"] = Port(port), ["Metrics:Token"] = token });
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using (var none = await scraper.GetAsync("/metrics", Ct))
        {
            await ErrorAssert.IsErrorAsync(none, HttpStatusCode.Unauthorized, ErrorCodes.InvalidMetricsToken, ErrorTypes.Authentication);
        }
        foreach (var wrong in new[] { token + "x", token[..^1], "Basic " + token })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.TryAddWithoutValidation("Authorization", wrong.StartsWith("Basic", StringComparison.Ordinal) ? wrong : "Bearer " + wrong);
            using var response = await scraper.SendAsync(request, Ct);
            await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.InvalidMetricsToken);
        }
        // The token guards the whole port, not just /metrics: no path says what else is there.
        using (var elsewhere = await scraper.GetAsync("/health", Ct))
        {
            await ErrorAssert.IsErrorAsync(elsewhere, HttpStatusCode.Unauthorized, ErrorCodes.InvalidMetricsToken);
        }
        Assert.True((await Scrape.FromAsync(scraper, token)).Has("hatbox_usage_pending"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("0.0.0.0")]
    [InlineData("192.0.2.10")]
    public async Task ANonLoopbackListenerWithoutATokenRefusesToStart(string address)
    {
        var settings = new Dictionary<string, string?> { ["Metrics:Port"] = Port(TestServer.FreePort()), ["Metrics:ListenAddress"] = address };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings));
        Assert.Equal(typeof(Hatbox.Features.Telemetry.MetricsOptions), refused.OptionsType);
    }

    [Fact]
    public async Task AShortTokenRefusesToStart()
    {
        var settings = new Dictionary<string, string?> { ["Metrics:Port"] = Port(TestServer.FreePort()), ["Metrics:Token"] = "short" };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => TestServer.StartAsync(settings));
        Assert.Equal(typeof(Hatbox.Features.Telemetry.MetricsOptions), refused.OptionsType);
    }
}
