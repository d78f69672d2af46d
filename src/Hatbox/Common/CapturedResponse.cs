namespace Hatbox.Common;

/// <summary>
/// Runs the rest of the pipeline with the response body held in memory instead of sent, for stages
/// that keep or rewrite an answer (idempotency's replay, an older API version's shape).
/// </summary>
internal static class CapturedResponse
{
    /// <summary>
    /// The body <paramref name="next"/> wrote, positioned at its start. The response's own body stream
    /// is back in place when this returns or throws, so the caller writes the answer there.
    /// </summary>
    public static async Task<MemoryStream> RunAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        captured.Position = 0;
        return captured;
    }
}
