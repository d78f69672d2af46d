using Hatbox.Common.Errors;

namespace Hatbox.Pipeline;

/// <summary>
/// HTTPS only (seed S15). A plain-HTTP request gets <c>403 https_required</c> and nothing else:
/// no redirect, because a key sent over HTTP has already crossed the network in clear.
/// The scheme comes from the connection, or from <c>X-Forwarded-Proto</c> when the forwarded-headers
/// stage has trusted the sending proxy.
/// </summary>
internal sealed class HttpsOnlyMiddleware(RequestDelegate next)
{
    static readonly ApiError HttpsRequired = new(StatusCodes.Status403Forbidden, ErrorTypes.InvalidRequest,
        ErrorCodes.HttpsRequired, "Hatbox answers over HTTPS only. Resend the request to the https:// address.");

    public Task InvokeAsync(HttpContext context) =>
        context.Request.IsHttps ? next(context) : ApiErrorWriter.WriteAsync(context, HttpsRequired);
}
