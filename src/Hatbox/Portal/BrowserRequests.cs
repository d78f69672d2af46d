using Microsoft.Net.Http.Headers;

namespace Hatbox.Portal;

/// <summary>
/// Tells a browser's page load from an API call: browsers ask for <c>text/html</c> by name when they
/// open a page; curl sends <c>*/*</c> and the SDK <c>application/json</c>, so they keep getting JSON.
/// </summary>
internal static class BrowserRequests
{
    public static bool WantsHtml(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }
        foreach (var type in types)
        {
            if (type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && type.Quality is not 0)
            {
                return true;
            }
        }
        return false;
    }
}
