using System.Globalization;
using Hatbox.Portal;

namespace Hatbox.Hosting.Readiness;

/// <summary>
/// What a browser gets from a node that cannot reach its platform store yet, where an API client gets
/// <c>503 service_unavailable</c>: a plain page with the portal's stylesheet (served without the store)
/// that reloads itself, so the visitor lands where they meant to once the node is ready.
/// </summary>
internal static class NotReadyPage
{
    const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="5">
            <title>Starting · Hatbox</title>
            <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/portal.css">
        </head>
        <body>
            <header class="top"><a class="brand" href="/">Hatbox</a></header>
            <main id="main">
                <h1>Hatbox is starting</h1>
                <p>This server cannot reach its database yet. It keeps trying by itself, and this page reloads every few seconds.</p>
                <p class="hint">Nothing you saved is lost. If this lasts, the server's log says why.</p>
            </main>
        </body>
        </html>
        """;

    public static Task WriteAsync(HttpContext context, int retryAfterSeconds)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = "text/html; charset=utf-8";
        PortalSecurityHeaders.Apply(response.Headers);
        response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers["Request-Id"] = context.TraceIdentifier;
        response.Headers.Vary = "Accept";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.WriteAsync(Html);
    }
}
