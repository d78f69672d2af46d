using System.Security.Cryptography;
using System.Text;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Telemetry;

/// <summary>
/// What the scrape port answers: <c>/metrics</c> (with the token when one is set) and a 404 in the
/// error envelope for anything else. Nothing of the API or the portal is reachable on it, and
/// <c>/metrics</c> on the public port matches no route, so it is the ordinary 404 there.
/// </summary>
internal static class MetricsListener
{
    /// <summary>Goes first in the pipeline: requests on the scrape port never reach the API's stages.</summary>
    public static void UseTelemetry(this WebApplication app)
    {
        // Built now, so the dashboard counts from the first request.
        app.Services.GetRequiredService<RequestTimeline>();
        app.Services.GetRequiredService<QueueDepthGauges>();
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return;
        }
        var expected = options.Token is { Length: > 0 } token ? SHA256.HashData(Encoding.UTF8.GetBytes(token)) : null;
        app.MapWhen(context => context.Connection.LocalPort == options.Port, scrape =>
        {
            scrape.Use((context, next) =>
            {
                context.TraceIdentifier = Ids.NewRequestId();
                if (expected is not null && !HasToken(context, expected))
                {
                    return ApiErrorWriter.WriteAsync(context, InvalidToken);
                }
                return HttpMethods.IsGet(context.Request.Method) ? next(context) : ApiErrorWriter.WriteAsync(context, MethodNotAllowed);
            });
            scrape.UseOpenTelemetryPrometheusScrapingEndpoint();
            scrape.Run(context => ApiErrorWriter.WriteAsync(context, NotFound));
        });
    }

    /// <summary>The line <c>serve</c> prints for the scrape listener, if it is on.</summary>
    public static void PrintBanner(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (options.Enabled)
        {
            var host = options.ListenAddress is "*" ? "0.0.0.0" : options.ListenAddress;
            Console.WriteLine($"Metrics for Prometheus on http://{host}:{options.Port}/metrics{(options.Token is null ? "" : " (token required)")}");
        }
    }

    /// <summary>Whether <paramref name="address"/>, one the server is bound to, is the scrape listener's.</summary>
    public static bool IsScrapeAddress(WebApplication app, string address)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        return options.Enabled && Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port == options.Port;
    }

    static bool HasToken(HttpContext context, byte[] expected)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())), expected);
    }

    static readonly ApiError InvalidToken = new(StatusCodes.Status401Unauthorized, ErrorTypes.Authentication,
        ErrorCodes.InvalidMetricsToken, "This metrics listener needs its token: send Authorization: Bearer <Metrics:Token>.");

    static readonly ApiError MethodNotAllowed = new(StatusCodes.Status405MethodNotAllowed, ErrorTypes.InvalidRequest,
        ErrorCodes.MethodNotAllowed, "The metrics listener serves only GET /metrics.");

    static readonly ApiError NotFound = new(StatusCodes.Status404NotFound, ErrorTypes.InvalidRequest,
        ErrorCodes.RouteNotFound, "The metrics listener serves only GET /metrics.");
}
