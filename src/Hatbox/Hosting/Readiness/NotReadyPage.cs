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
    static readonly string Html = PlainPage.Html("Starting", """
                <h1>Hatbox is starting</h1>
                <p>This server cannot reach its database yet. It keeps trying by itself, and this page reloads every few seconds.</p>
                <p class="hint">Nothing you saved is lost. If this lasts, the server's log says why.</p>
        """, head: """

            <meta http-equiv="refresh" content="5">
        """);

    public static Task WriteAsync(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Request-Id"] = context.TraceIdentifier;
        return PlainPage.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, Html);
    }
}
