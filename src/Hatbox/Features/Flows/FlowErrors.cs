using Hatbox.Common.Errors;
using Hatbox.Features.Flows.Definitions;

namespace Hatbox.Features.Flows;

/// <summary>The flows feature's refusals (codes in docs/flows.md).</summary>
internal static class FlowErrors
{
    public static readonly ApiError FlowNotFound = ApiError.NotFound(ErrorCodes.FlowNotFound, "No such flow in this workspace.", "flowId");

    public static readonly ApiError RunNotFound = ApiError.NotFound(ErrorCodes.FlowRunNotFound, "No such flow run in this workspace.", "analytics_id");

    /// <summary>400 with the JSON path of the first fault in <c>param</c>; the message lists them all.</summary>
    public static ApiError Invalid(IReadOnlyList<FlowFault> faults) => ApiError.BadRequest(ErrorCodes.FlowInvalid,
        "The flow document is not valid: " + string.Join("; ", faults.Take(20).Select(f => $"{f.Path}: {f.Message}")), faults[0].Path);

    public static ApiError QueueFull(int limit) => new(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.FlowQueueFull,
        $"This workspace has {limit} flow runs waiting or running; trigger more when some have finished.");

    public static ApiError RunsQuota(long limit, string reset) => new(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, ErrorCodes.QuotaExceeded,
        $"This organization has started the {limit} flow runs its plan includes this month. The quota resets at {reset}.");

    public static ApiError UrlNotAllowed(string message) => ApiError.BadRequest(ErrorCodes.UrlNotAllowed, message, "url");
}
