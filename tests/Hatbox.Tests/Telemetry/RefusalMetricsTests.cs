using System.Net;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Telemetry;

/// <summary>Rate-limit refusals are counted by their code, beside the request they refused.</summary>
public sealed class RefusalMetricsTests() : ServerTest(Settings)
{
    static readonly int MetricsPort = TestServer.FreePort();
    static readonly Dictionary<string, string?> Settings = new()
    {
        ["Metrics:Port"] = MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Plans:free:RequestsPerMinute"] = "2",
    };

    [Fact]
    public async Task ARateLimitedRequestIsCountedAsRefusedAndAs4xx()
    {
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{MetricsPort}") };
        var tenant = await TestTenant.CreateAsync(Server);
        var before = await Scrape.FromAsync(scraper);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await tenant.AuthenticateAsync(Http);
            statuses.Add(response.StatusCode);
        }
        var after = await Scrape.FromAsync(scraper);

        var refused = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.True(refused >= 2, string.Join(",", statuses));
        double Moved(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.True(Moved("hatbox_requests_refused_total", ("error_type", "rate_limited")) >= refused);
        Assert.True(Moved("http_server_request_duration_seconds_count",
            ("hatbox_route_group", "authentication"), ("hatbox_status_class", "4xx")) >= refused);
    }
}
