using Microsoft.AspNetCore.Antiforgery;

namespace Hatbox.Features.Accounts;

/// <summary>
/// The CSRF check on every write under <c>/v1</c>. A browser sends the session cookie with any
/// cross-site form post; only our own pages can read a token from <c>GET /v1/antiforgery</c> and
/// put it in the <c>X-CSRF-TOKEN</c> header. Sign-up and sign-in opt out with
/// <c>DisableAntiforgery()</c>: there is no session to ride on yet.
/// </summary>
/// <remarks>
/// As an endpoint filter it runs after authorization (an anonymous write is 401 first) and after
/// body binding, which reads a body but never acts on it.
/// </remarks>
internal sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var exempt = http.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false };
        // Safe methods (GET, HEAD, OPTIONS, TRACE) always pass: they change nothing.
        if (!exempt && !await antiforgery.IsRequestValidAsync(http))
        {
            return SessionErrors.CsrfTokenInvalid;
        }
        return await next(context);
    }
}
