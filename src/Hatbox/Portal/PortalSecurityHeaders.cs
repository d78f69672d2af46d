using Microsoft.AspNetCore.Mvc.Filters;

namespace Hatbox.Portal;

/// <summary>
/// Headers on every portal page. The policy allows only our own scripts and styles (no inline
/// code, so an injected tag does nothing), forms that post back to us, and no framing.
/// Pages are never cached: some show a new key, and all show a signed-in user's data.
/// </summary>
internal sealed class PortalSecurityHeaders : IResultFilter
{
    const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public void OnResultExecuting(ResultExecutingContext context) => Apply(context.HttpContext.Response.Headers);

    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        // What antiforgery sets on any page with a form anyway; saying it first keeps its warning out of the log.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
