using Hatbox.Common.Json;

namespace Hatbox.Common.Errors;

internal static class ApiErrorWriter
{
    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        // The exception handler clears headers before it writes, so the id is set again here.
        response.Headers["Request-Id"] = context.TraceIdentifier;
        response.Headers.CacheControl = "no-store";
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = Hatbox.Pipeline.BearerChallenge.For(error.Code);
        }
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var envelope = new ErrorEnvelope(false, error.Message,
            new ErrorDetail(error.Type, error.Code, error.Message, error.Param), context.TraceIdentifier);
        return response.WriteAsJsonAsync(envelope, HatboxJsonContext.Default.ErrorEnvelope, contentType: null, context.RequestAborted);
    }
}
