using System.Diagnostics;
using Hatbox.Common;

namespace Hatbox.Pipeline;

/// <summary>
/// First stage: gives the request its <c>req_…</c> id (response header, error bodies, and every
/// log line through <see cref="RequestScopeProvider"/>), gives a body-less failure the error envelope
/// (<see cref="StatusCodeEnvelope"/>), and writes the <see cref="AccessLog"/> line when it ends.
/// </summary>
internal sealed class RequestContextMiddleware(RequestDelegate next, AccessLog accessLog)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Ids.NewRequestId();
        context.TraceIdentifier = requestId;
        context.Response.Headers["Request-Id"] = requestId;
        var started = Stopwatch.GetTimestamp();

        RequestScopeProvider.SetRequestId(requestId);
        try
        {
            await next(context);
            await StatusCodeEnvelope.WriteIfBodyless(context);
        }
        finally
        {
            // A billed answer written while its count was being synced leaves when this returns (Kestrel
            // flushes it then): it waits here, where only the outermost stages' frames are parked. A count
            // taken after this (a bodiless answer Kestrel starts itself) is waited for by Kestrel.
            await Features.Usage.MeteredRequest.WhenCountedAsync(context);
            var elapsed = Stopwatch.GetElapsedTime(started);
            accessLog.Write(context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode, elapsed, requestId);
            Features.Telemetry.HatboxMetrics.RequestEnded(context, elapsed);
        }
    }
}
