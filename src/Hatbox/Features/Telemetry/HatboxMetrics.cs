using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hatbox.Features.Telemetry;

/// <summary>
/// The server's own instruments, on one meter named <see cref="MeterName"/>. Names follow the
/// OpenTelemetry semantic conventions where one exists (<c>http.server.request.duration</c>,
/// <c>db.client.operation.duration</c>) and are <c>hatbox.*</c> otherwise.
/// </summary>
/// <remarks>
/// Static, so a feature counts with one line and no constructor change (the stages on the hot path
/// are built by hand in tests and benchmarks). With nothing listening, each call is a check of an
/// empty listener list; the exporter and the portal's timeline listen only when they are on.
/// </remarks>
internal static class HatboxMetrics
{
    public const string MeterName = "Hatbox";

    // Seconds, from 0.5 ms: the public API answers most calls in well under the 5 ms where the
    // semantic conventions' advised boundaries start.
    static readonly double[] DurationBoundaries =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    static readonly Meter Meter = new(MeterName, typeof(HatboxMetrics).Assembly.GetName().Version?.ToString(3));

    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        "http.server.request.duration", "s", "Duration of HTTP server requests, by route group, status class and API version.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBoundaries });

    static readonly Counter<long> KeyCacheLookups = Meter.CreateCounter<long>(
        "hatbox.api_key.cache.lookups", "{lookup}", "API-key verifications answered from the cache (hit) or the database (miss).");

    static readonly Counter<long> Refusals = Meter.CreateCounter<long>(
        "hatbox.requests.refused", "{request}", "Keyed requests refused before the endpoint: rate limit, monthly quota, allowed domains.");

    static readonly Histogram<double> DbOperationDuration = Meter.CreateHistogram(
        "db.client.operation.duration", "s", "Duration of tenant-database statements.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBoundaries });

    static readonly Counter<long> DbTimeouts = Meter.CreateCounter<long>(
        "hatbox.db.query.timeouts", "{statement}", "Tenant statements stopped at their deadline (query_timeout).");

    static readonly Counter<long> UploadBytes = Meter.CreateCounter<long>(
        "hatbox.storage.upload.size", "By", "Bytes of files stored by /storage/upload.");

    /// <summary>One request is over (RequestContextMiddleware, the first stage, calls it).</summary>
    public static void RequestEnded(HttpContext context, TimeSpan elapsed)
    {
        if (!RequestDuration.Enabled)
        {
            return;
        }
        var status = context.Response.StatusCode;
        var version = context.Response.Headers[Versions.ApiVersions.HeaderName];
        RequestDuration.Record(elapsed.TotalSeconds, new TagList
        {
            { "http.request.method", Method(context.Request.Method) },
            { "hatbox.route_group", RouteGroups.Of(context) },
            { "hatbox.status_class", StatusClass(status) },
            { "hatbox.api_version", version.Count == 1 ? version[0] : "none" },
        });
    }

    public static void KeyCacheLookup(bool hit)
    {
        if (KeyCacheLookups.Enabled)
        {
            KeyCacheLookups.Add(1, new KeyValuePair<string, object?>("hatbox.cache.result", hit ? "hit" : "miss"));
        }
    }

    /// <summary>A keyed request refused with <paramref name="code"/> (<c>rate_limited</c>, <c>quota_exceeded</c>, …).</summary>
    public static void Refused(string code)
    {
        if (Refusals.Enabled)
        {
            Refusals.Add(1, new KeyValuePair<string, object?>("error.type", code));
        }
    }

    public static void DbOperation(string system, string operation, TimeSpan elapsed, string? errorCode)
    {
        if (errorCode == Common.Errors.ErrorCodes.QueryTimeout)
        {
            DbTimeouts.Add(1, new KeyValuePair<string, object?>("db.system.name", system));
        }
        if (DbOperationDuration.Enabled)
        {
            var tags = new TagList { { "db.system.name", system }, { "db.operation.name", operation } };
            if (errorCode is not null)
            {
                tags.Add("error.type", errorCode);
            }
            DbOperationDuration.Record(elapsed.TotalSeconds, tags);
        }
    }

    public static void Uploaded(long bytes) => UploadBytes.Add(bytes);

    internal static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };

    // Only the methods the API and portal answer; anything else is one label, not one per verb a client invents.
    static string Method(string method) =>
        HttpMethods.IsGet(method) ? HttpMethods.Get
        : HttpMethods.IsPost(method) ? HttpMethods.Post
        : HttpMethods.IsPut(method) ? HttpMethods.Put
        : HttpMethods.IsDelete(method) ? HttpMethods.Delete
        : HttpMethods.IsPatch(method) ? HttpMethods.Patch
        : HttpMethods.IsHead(method) ? HttpMethods.Head
        : HttpMethods.IsOptions(method) ? HttpMethods.Options
        : "_OTHER";
}
