using System.Diagnostics;
using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Telemetry;

/// <summary>
/// The Prometheus listener of a real server: counters scraped after real calls move with the right
/// labels, and the listener is its own port: nothing of the API there, no /metrics on the public one.
/// Other servers in this process count on the same meter, so the tests compare before and after
/// with labels only their own calls can add to at that moment, and ask for at least their calls.
/// </summary>
public sealed class MetricsTests() : ServerTest(Settings)
{
    const string Duration = "http_server_request_duration_seconds_count";
    static readonly int MetricsPort = TestServer.FreePort();
    static readonly Dictionary<string, string?> Settings = DbTestSettings.With(
        ("Metrics:Port", MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Db:QueryTimeoutMilliseconds", "200"));

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly HttpClient _scraper = new() { BaseAddress = new Uri($"http://127.0.0.1:{MetricsPort}") };

    [Fact]
    public async Task RequestsAreCountedByRouteGroupStatusClassAndVersion()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);
        (string, string)[] authOk = [("hatbox_route_group", "authentication"), ("hatbox_status_class", "2xx"), ("hatbox_api_version", "2025-06-01")];
        (string, string)[] dbRefused = [("hatbox_route_group", "db"), ("hatbox_status_class", "4xx"), ("http_request_method", "POST")];
        var before = await Scrape.FromAsync(_scraper);

        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/authentication");
            request.Headers.Authorization = new("Bearer", tenant.ApiKey);
            request.Headers.Add("WorqHat-Version", "2025-06-01");
            using var response = await Http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        for (var i = 0; i < 2; i++)
        {
            using var response = await db.QueryAsync("SELECT * FROM no_such_table");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        var after = await Scrape.FromAsync(_scraper);

        Assert.True(after.Sum(Duration, authOk) - before.Sum(Duration, authOk) >= 3);
        Assert.True(after.Sum(Duration, dbRefused) - before.Sum(Duration, dbRefused) >= 2);
        // The latency histogram has its buckets, with the same labels.
        Assert.True(after.Sum("http_server_request_duration_seconds_bucket", [.. authOk, ("le", "+Inf")]) >= 3);
    }

    [Fact]
    public async Task KeyCacheTenantStatementsTimeoutsAndUploadsAreCounted()
    {
        var tenant = await TestTenant.CreateAsync(Server);
        var db = new DbClient(Http, tenant.ApiKey);
        var before = await Scrape.FromAsync(_scraper);

        await db.QueryOkAsync("SELECT 1");
        await db.QueryOkAsync("SELECT 2");
        using (var endless = await db.QueryAsync("WITH RECURSIVE forever(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM forever) SELECT count(*) FROM forever"))
        {
            await ErrorAssert.IsErrorAsync(endless, HttpStatusCode.UnprocessableEntity, ErrorCodes.QueryTimeout);
        }
        var bytes = new byte[12_345];
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "counted.bin" } })
        using (var upload = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = form })
        {
            upload.Headers.Authorization = new("Bearer", tenant.ApiKey);
            using var response = await Http.SendAsync(upload, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var after = await Scrape.FromAsync(_scraper);

        double Moved(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.True(Moved("hatbox_api_key_cache_lookups_total", ("hatbox_cache_result", "hit")) >= 1);
        Assert.True(Moved("db_client_operation_duration_seconds_count", ("db_system_name", "sqlite"), ("db_operation_name", "query")) >= 3);
        Assert.True(Moved("db_client_operation_duration_seconds_count", ("error_type", ErrorCodes.QueryTimeout)) >= 1);
        Assert.True(Moved("hatbox_db_query_timeouts_total", ("db_system_name", "sqlite")) >= 1);
        Assert.True(Moved("hatbox_storage_upload_size_bytes_total") >= bytes.Length);
        // The billed requests above were each answered after a flush of the usage journal. The flush
        // counter is observed when scraped (one CI run under load saw it unmoved once): scrape again
        // for a moment before failing.
        var watch = Stopwatch.StartNew();
        while (Moved("hatbox_usage_journal_flushes_total") < 1 && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(200, Ct);
            after = await Scrape.FromAsync(_scraper);
        }
        Assert.True(Moved("hatbox_usage_journal_flushes_total") >= 1);
        // The queue gauges are there on every scrape.
        Assert.True(after.Has("hatbox_usage_pending"));
        Assert.True(after.Has("hatbox_embeddings_changes_pending"));
        Assert.True(after.Has("hatbox_flows_runs_active"));
    }

    [Fact]
    public async Task MetricsOnThePublicPortIsAPlainNotFound()
    {
        using var response = await Http.GetAsync("/metrics", Ct);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, ErrorCodes.RouteNotFound);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/authentication")]
    [InlineData("/v1/workspaces")]
    [InlineData("/metrics/../health")]
    public async Task TheScrapePortAnswersNothingButMetrics(string path)
    {
        using var response = await _scraper.GetAsync(path, Ct);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, ErrorCodes.RouteNotFound);
    }

    [Fact]
    public async Task APostToMetricsOnTheScrapePortIsRefused()
    {
        using var response = await _scraper.PostAsync("/metrics", new StringContent("x"), Ct);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.MethodNotAllowed, ErrorCodes.MethodNotAllowed);
    }
}
