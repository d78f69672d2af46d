using Hatbox.Common.Errors;

namespace Hatbox.Features.Accounts;

/// <summary>
/// Login CSRF: a page on another site must not be able to sign a visitor's browser in (to the
/// attacker's account, whose activity the attacker then reads). Endpoints that start a session
/// refuse a request the browser marks as cross-site: <c>Sec-Fetch-Site</c> other than
/// <c>same-origin</c> or <c>none</c> (typed in the address bar), or an <c>Origin</c> that is not
/// this request's own. A request with neither header is not from a browser and is let through:
/// it cannot carry a victim's cookies anyway.
/// </summary>
internal static class CrossSiteRequests
{
    public static readonly ApiError Refused = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission, ErrorCodes.CrossSiteRequest,
        "Sign in from Hatbox's own pages: this request came from another site.");

    public static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return true;
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !string.Equals(origin, OwnOrigin(request), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The origin this request was sent to, as a browser would write it (no default port).</summary>
    static string OwnOrigin(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}";

    /// <summary>The filter for <c>/v1</c> endpoints that start a session.</summary>
    public static TBuilder RefuseCrossSite<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static async (context, next) =>
            IsCrossSite(context.HttpContext.Request) ? Refused : await next(context));
}
