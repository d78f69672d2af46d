using Hatbox.Common.Errors;
using Hatbox.Portal;

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
        if (response.HasStarted || response.StatusCode is < 400 or >= 600 || response.ContentLength is not null
            || !string.IsNullOrEmpty(response.ContentType))
        {
            return Task.CompletedTask;
        }
        // A browser opening a page that does not exist gets a page; API clients get the envelope.
        return response.StatusCode == StatusCodes.Status404NotFound && BrowserRequests.WantsHtml(context.Request)
            ? NotFoundPage.WriteAsync(context)
            : ApiErrorWriter.WriteAsync(context, ApiError.ForStatus(response.StatusCode));
    }
}
