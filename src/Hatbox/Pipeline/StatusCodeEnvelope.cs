using Hatbox.Common.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace Hatbox.Pipeline;

/// <summary>Gives the framework's own body-less failures (404, 405, 415, …) the error envelope.</summary>
internal static class StatusCodeEnvelope
{
    public static Task WriteAsync(StatusCodeContext context) =>
        ApiErrorWriter.WriteAsync(context.HttpContext, ApiError.ForStatus(context.HttpContext.Response.StatusCode));
}
