namespace Hatbox.Portal;

/// <summary>
/// The HTML a browser gets where no portal page ran (a path that does not exist, a node not ready
/// yet): plain markup with the portal's stylesheet and headers, the same for any visitor.
/// </summary>
internal static class PlainPage
{
    /// <summary>A whole document: <paramref name="main"/> is the <c>main</c> element's markup; <paramref name="head"/> goes at the top of <c>head</c>.</summary>
    public static string Html(string title, string main, string head = "") => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">{{head}}
            <title>{{title}} · Hatbox</title>
            <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/portal.css">
        </head>
        <body>
            <header class="top"><a class="brand" href="/">Hatbox</a></header>
            <main id="main">
        {{main}}
            </main>
        </body>
        </html>
        """;

    /// <summary>Answers <paramref name="html"/> with <paramref name="status"/> and the portal's security headers; a HEAD gets no body.</summary>
    public static Task WriteAsync(HttpContext context, int status, string html)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        PortalSecurityHeaders.Apply(response.Headers);
        // The same address answers JSON to an API client.
        response.Headers.Vary = "Accept";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.WriteAsync(html);
    }
}
