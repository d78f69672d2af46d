using Hatbox.Common.Errors;
using Hatbox.Common.Redis;
using Microsoft.AspNetCore.Diagnostics;

namespace Hatbox.Pipeline;

/// <summary>
/// Turns exceptions into the envelope: a rejected body keeps its own error, Kestrel's bad-request
/// exceptions keep their status (413 for an oversized body), a store that does not answer (Redis for the
/// counters, PostgreSQL, S3) is a <c>503 service_unavailable</c> naming it in <c>param</c>, with <c>Retry-After</c>, and anything else is a 500
/// <c>internal_error</c> that tells the client nothing but the request id.
/// </summary>
/// <remarks>
/// .NET 10 no longer logs an exception that a handler reports as handled, so the 500s are logged
/// here, at Error, with the request id and the stack trace; the client still sees only the id.
/// </remarks>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var error = ErrorFor(exception);
        if (error.Status >= StatusCodes.Status500InternalServerError && StoreOf(exception) is null)
        {
            LogUnhandled(logger, exception, context.TraceIdentifier, context.Request.Method, context.Request.Path.Value ?? "/");
        }
        if (context.Response.HasStarted)
        {
            return false;
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
        _ when StoreOf(exception) is { } store => StoreUnavailableException.ErrorFor(store,
            store == StoreNames.Redis ? RedisUnavailableException.RetryAfterSeconds : StoreUnavailableException.RetryAfterSeconds),
        _ => ApiError.Internal(),
    };

    static string? StoreOf(Exception exception) => StoreOutage.StoreOf(exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Path} ({RequestId})")]
    static partial void LogUnhandled(ILogger logger, Exception exception, string requestId, string method, string path);
}
