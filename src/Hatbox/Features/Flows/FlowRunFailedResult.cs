using System.Text.Json;
using Hatbox.Common.Errors;

namespace Hatbox.Features.Flows;

/// <summary>
/// <c>422 flow_run_failed</c>: the envelope of DESIGN.md §4, plus the run's <c>analytics_id</c> and
/// the failing step (its id in <c>error.param</c>, and its own error under <c>step_error</c>).
/// </summary>
internal sealed class FlowRunFailedResult(FlowRun run) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        response.Headers["Request-Id"] = httpContext.TraceIdentifier;
        response.Headers.CacheControl = "no-store";
        // The SDK retries some statuses; a failed run fails the same way again.
        response.Headers["x-should-retry"] = "false";
        response.ContentType = "application/json; charset=utf-8";
        var message = run.ErrorStep is null
            ? $"The flow run failed: {run.ErrorMessage}"
            : $"The flow run failed at step '{run.ErrorStep}': {run.ErrorMessage}";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        json.WriteBoolean("success", false);
        json.WriteString("message", message);
        json.WriteStartObject("error");
        json.WriteString("type", ErrorTypes.InvalidRequest);
        json.WriteString("code", ErrorCodes.FlowRunFailed);
        json.WriteString("message", message);
        json.WriteString("param", run.ErrorStep);
        json.WriteEndObject();
        json.WriteString("requestId", httpContext.TraceIdentifier);
        json.WriteString("analytics_id", run.Id);
        json.WriteString("status", run.Status);
        json.WriteString("failed_step", run.ErrorStep);
        json.WriteStartObject("step_error");
        json.WriteString("code", run.ErrorCode);
        json.WriteString("message", run.ErrorMessage);
        json.WriteEndObject();
        json.WriteString("timestamp", run.EndedAt ?? DateTimeOffset.UtcNow);
        json.WriteEndObject();
        await json.FlushAsync(httpContext.RequestAborted);
    }
}
