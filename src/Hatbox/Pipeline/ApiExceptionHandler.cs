using System.Globalization;
using Hatbox.Common.Errors;
using Hatbox.Common.Redis;
using Microsoft.AspNetCore.Diagnostics;

namespace Hatbox.Pipeline;

/// <summary>
/// Turns exceptions into the envelope: a rejected body keeps its own error, Kestrel's bad-request
/// exceptions keep their status (413 for an oversized body), Redis not answering for the counters is a
/// <c>503 service_unavailable</c> with <c>Retry-After</c>, and anything else is a 500
/// <c>internal_error</c> that tells the client nothing but the request id.
/// </summary>
internal sealed class ApiExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }

        var error = ErrorFor(exception);
        if (exception is RedisUnavailableException)
        {
            context.Response.Headers.RetryAfter = RedisUnavailableException.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        await ApiErrorWriter.WriteAsync(context, error);
        return true;
    }

    /// <summary>The answer an exception becomes; metering records its status before this handler writes it.</summary>
    public static ApiError ErrorFor(Exception exception) => exception switch
    {
        RequestRejectedException rejected => rejected.Error,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ApiError.TooLarge(),
        BadHttpRequestException bad => ApiError.ForStatus(bad.StatusCode),
        RedisUnavailableException => ApiError.ForStatus(StatusCodes.Status503ServiceUnavailable),
        _ => ApiError.Internal(),
    };
}
