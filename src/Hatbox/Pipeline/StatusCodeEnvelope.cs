using Hatbox.Common.Errors;

namespace Hatbox.Pipeline;

/// <summary>
/// Gives the framework's own body-less failures (404, 405, 415, …) the error envelope: what
/// <c>UseStatusCodePages</c> would do, without a middleware and a feature object on every request
/// (bench/README.md). Nothing in Hatbox turns it off per endpoint, which is what that feature is for.
/// </summary>
internal static class StatusCodeEnvelope
{
    /// <summary>Writes the envelope when the answer is a failure status with no body yet, as UseStatusCodePages decides.</summary>
    public static Task WriteIfBodyless(HttpContext context)
    {
        var response = context.Response;
        return response.HasStarted || response.StatusCode is < 400 or >= 600 || response.ContentLength is not null
            || !string.IsNullOrEmpty(response.ContentType)
            ? Task.CompletedTask
            : ApiErrorWriter.WriteAsync(context, ApiError.ForStatus(response.StatusCode));
    }
}
