namespace Hatbox.Portal;

/// <summary>
/// The page a browser gets for a path that does not exist, where an API client gets
/// <c>404 route_not_found</c>. It is written where no page ran, for any path, so it shows nothing
/// about the visitor.
/// </summary>
internal static class NotFoundPage
{
    static readonly string Html = PlainPage.Html("Page not found", """
                <h1>Page not found</h1>
                <p>There is no page at this address. It may have moved, or the link is mistyped.</p>
                <p><a class="button" href="/">Go to the start page</a></p>
                <p class="hint">Calling the API? Send <code>Accept: application/json</code> and you get the JSON error instead.</p>
        """);

    public static Task WriteAsync(HttpContext context) => PlainPage.WriteAsync(context, StatusCodes.Status404NotFound, Html);
}
