using Hatbox.Common.Errors;

namespace Hatbox.Features.Domains;

/// <summary>
/// Answers CORS preflights (<c>OPTIONS</c> with <c>Access-Control-Request-Method</c>) before key auth,
/// since browsers send no key with them: 204 for an origin that some workspace allows, else
/// <c>403 origin_not_allowed</c> with no <c>Access-Control-Allow-Origin</c>. The real call is then checked
/// against its own workspace by <see cref="OriginStage"/>.
/// </summary>
internal sealed class PreflightStage(RequestDelegate next, DomainCache domains)
{
    // Anything but a preflight goes straight on, without an async frame of its own.
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        return !HttpMethods.IsOptions(request.Method) || !request.Headers.ContainsKey("Access-Control-Request-Method")
            || request.Path.StartsWithSegments("/v1")
            ? next(context)
            : AnswerAsync(context);
    }

    async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var header = request.Headers.Origin.ToString();
        if (!OriginPattern.TryParseOrigin(header, out var origin) || !await domains.AnyWorkspaceAllowsAsync(origin, context.RequestAborted))
        {
            context.Response.Headers.Vary = "Origin";
            await ApiErrorWriter.WriteAsync(context, DomainErrors.OriginNotAllowed);
            return;
        }
        CorsHeaders.Allow(context.Response, header);
        context.Response.Headers.AccessControlAllowMethods = CorsHeaders.AllowMethods;
        context.Response.Headers.AccessControlAllowHeaders = CorsHeaders.AllowHeaders;
        context.Response.Headers.AccessControlMaxAge = "600";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
