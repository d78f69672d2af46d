using System.Net;

namespace Hatbox.Portal;

/// <summary>
/// The page a browser gets for a path that does not exist, where an API client gets
/// <c>404 route_not_found</c>. Plain HTML with the portal's stylesheet: it is written where no page
/// ran, for any path, so it shows nothing about the visitor.
/// </summary>
internal static class NotFoundPage
{
    const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Page not found · Hatbox</title>
            <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/portal.css">
        </head>
        <body>
            <header class="top"><a class="brand" href="/">Hatbox</a></header>
            <main id="main">
                <h1>Page not found</h1>
                <p>There is no page at this address. It may have moved, or the link is mistyped.</p>
                <p><a class="button" href="/">Go to the start page</a></p>
                <p class="hint">Calling the API? Send <code>Accept: application/json</code> and you get the JSON error instead.</p>
            </main>
        </body>
        </html>
        """;

    public static Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = (int)HttpStatusCode.NotFound;
        response.ContentType = "text/html; charset=utf-8";
        PortalSecurityHeaders.Apply(response.Headers);
        response.Headers.Vary = "Accept";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.WriteAsync(Html);
    }
}
