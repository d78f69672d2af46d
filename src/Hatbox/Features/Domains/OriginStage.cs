using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Microsoft.Extensions.Primitives;

namespace Hatbox.Features.Domains;

/// <summary>
/// The allowed-domains stage (seed S11): a request with an <c>Origin</c> header is a browser call and
/// must come from one of the key's workspace's allowed domains; with none listed, browser calls fail.
/// A request without <c>Origin</c> is a server call and passes, whatever <c>sec-fetch-*</c> headers say.
/// This is not a security boundary for a leaked key (a server can send any Origin); it keeps
/// other sites' pages from using a key embedded in yours.
/// </summary>
internal sealed class OriginStage(DomainCache domains)
{
    /// <summary>Null when the request may go on (with the CORS headers of a browser call), else the refusal.</summary>
    // Server calls, nearly all, are passed without an async frame of their own.
    public ValueTask<ApiError?> CheckAsync(HttpContext context, ApiCaller caller)
    {
        var header = context.Request.Headers.Origin;
        return header.Count == 0 ? ValueTask.FromResult<ApiError?>(null) : CheckBrowserCallAsync(context, header, caller);
    }

    async ValueTask<ApiError?> CheckBrowserCallAsync(HttpContext context, StringValues header, ApiCaller caller)
    {
        if (header.Count > 1 || !OriginPattern.TryParseOrigin(header.ToString(), out var origin)
            || !(await domains.ForWorkspaceAsync(caller.WorkspaceId, context.RequestAborted)).Any(p => p.Matches(origin)))
        {
            return DomainErrors.OriginNotAllowed;
        }
        CorsHeaders.Allow(context.Response, header.ToString());
        return null;
    }
}
