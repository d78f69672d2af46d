// The benchmark baseline: a bare Kestrel app on the same framework, with the same build flags,
// server GC and TLS listener as Hatbox (HTTP/1.1 + HTTP/2 on a PEM certificate), and nothing of
// Hatbox's pipeline: no key, limits, metering, request ids, access log, exception handler, HTTPS
// check, options validation or hosted services. bench/run.sh measures Hatbox against it.
//
// Each endpoint answers the same shape and size as the Hatbox endpoint it stands in for, headers
// included (AnswerHeaders: Hatbox's Request-Id, RateLimit and version headers as fixed text). Add one
// per benchmark scenario in Endpoints below (e.g. a bare SQLite point read for /db/query, POST
// /authentication), and its contract in BaselineContracts.cs.
//
//   Baseline --port 5443 --cert cert.pem --key key.pem [--db items.db | --pg 'Host=…;Database=…'] [--vectors search.vectors]

using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Baseline;
using Microsoft.AspNetCore.Server.Kestrel.Core;

var port = int.Parse(Arg(args, "--port"), System.Globalization.CultureInfo.InvariantCulture);
var certificate = X509Certificate2.CreateFromPemFile(Arg(args, "--cert"), Arg(args, "--key"));

// CreateBuilder, as Hatbox uses, so that the ratio shows what Hatbox adds, not the host defaults.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, port, listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(certificate);
    });
});

var app = builder.Build();
Endpoints.Map(app, Stopwatch.GetTimestamp());
// --db FILE adds the /db endpoints on a SQLite file prepared at start (bench/run.sh, db_point_read).
if (Array.IndexOf(args, "--db") >= 0)
{
    DbBaseline.Map(app, Arg(args, "--db"));
}
// --pg CONNECTION adds instead the /db/query endpoint on PostgreSQL through Npgsql (bench/scaleout.sh).
else if (Array.IndexOf(args, "--pg") >= 0)
{
    PostgresDbBaseline.Map(app, Arg(args, "--pg"));
}
// --vectors FIXTURE adds /db/semantic-search over the rows of bench/run.sh's semantic_search scenario.
if (Array.IndexOf(args, "--vectors") >= 0)
{
    SearchBaseline.Map(app, Arg(args, "--vectors"));
}
Console.WriteLine($"Baseline listening on https://127.0.0.1:{port}");
app.Run();

static string Arg(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length
        ? args[index + 1]
        : throw new ArgumentException($"usage: Baseline --port P --cert CERT.pem --key KEY.pem (missing {name})");
}

namespace Baseline
{
    /// <summary>One baseline endpoint per benchmark scenario.</summary>
    static class Endpoints
    {
        public static void Map(WebApplication app, long started)
        {
            // Stands in for Hatbox's GET /health: same JSON shape and size, no probe, no DI lookups.
            app.MapGet("/health", (HttpResponse response) =>
            {
                AnswerHeaders.Write(response, rateLimited: false);
                return TypedResults.Json(
                    new HealthResponse(true, "ok", Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3), "2025-10-28",
                        "production", DateTimeOffset.UtcNow, new HealthServices("ok", "ok", "ok", "unused", "ok")),
                    BaselineJsonContext.Default.HealthResponse);
            });

            // Stands in for Hatbox's POST /authentication: the same answer, with no key check at all.
            app.MapPost("/authentication", (HttpResponse response) =>
            {
                AnswerHeaders.Write(response, rateLimited: true);
                return TypedResults.Json(
                    new AuthenticationResponse(true, "authenticated", "org_0123456789abcdefghijklmn", "org_0123456789abcdefghijklmn",
                        "ws_0123456789abcdefghijklmn", "bench", "key_0123456789abcdefghijklmn", "admin", "free", "2025-10-28"),
                    BaselineJsonContext.Default.AuthenticationResponse);
            });
        }
    }
}
