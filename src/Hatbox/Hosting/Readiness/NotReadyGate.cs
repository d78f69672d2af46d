using Hatbox.Common.Errors;
using Hatbox.Common.Readiness;
using Hatbox.Portal;

namespace Hatbox.Hosting.Readiness;

/// <summary>
/// Until the node is ready (<see cref="PlatformReadiness"/>), answers every request with <c>503</c>,
/// <c>Retry-After</c> and the code a running node's platform outage answers (<c>service_unavailable</c>,
/// <c>param: platform</c>), before anything reads a key, a session or a workspace: an API client retries
/// as it would through an outage, and a load balancer's <c>/health</c> sees the node degraded. Only
/// what needs no store passes: <c>/health</c> and the server info at <c>/</c>. A browser gets a page.
/// Once ready, one volatile read per request.
/// </summary>
internal sealed class NotReadyGate(RequestDelegate next, PlatformReadiness readiness)
{
    static readonly ApiError NotReady = StoreUnavailableException.ErrorFor(StoreNames.Platform);

    public Task InvokeAsync(HttpContext context) =>
        readiness.IsReady || NeedsNoStore(context.Request) ? next(context) : RefuseAsync(context);

    static bool NeedsNoStore(HttpRequest request) =>
        request.Path.Value is "/health" || (request.Path.Value is "/" && !OpensPage(request));

    static Task RefuseAsync(HttpContext context) =>
        OpensPage(context.Request) ? NotReadyPage.WriteAsync(context, NotReady.RetryAfterSeconds!.Value) : ApiErrorWriter.WriteAsync(context, NotReady);

    // A page load asks for text/html; a form the portal posts is a navigation too (the browser says so).
    static bool OpensPage(HttpRequest request) =>
        BrowserRequests.WantsHtml(request) || request.Headers["Sec-Fetch-Dest"] == "document";
}
