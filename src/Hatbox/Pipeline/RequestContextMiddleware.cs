using System.Diagnostics;
using Hatbox.Common;

namespace Hatbox.Pipeline;

/// <summary>
/// First stage: gives the request its <c>req_…</c> id (response header, error bodies, every log
/// line through the logging scope) and writes the one access-log line when it ends.
/// The line holds method, path, status, duration and id: never a query string, header or body,
/// so no key or secret reaches the log.
/// </summary>
internal sealed partial class RequestContextMiddleware(RequestDelegate next, ILogger<RequestContextMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Ids.New("req");
        context.TraceIdentifier = requestId;
        context.Response.Headers["Request-Id"] = requestId;
        var started = Stopwatch.GetTimestamp();

        using var scope = logger.BeginScope(new RequestLogScope(requestId));
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var elapsedMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
                LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "/",
                    context.Response.StatusCode, elapsedMs, requestId);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Method} {Path} {StatusCode} {DurationMs}ms {RequestId}")]
    static partial void LogRequest(ILogger logger, string method, string path, int statusCode, double durationMs, string requestId);
}
