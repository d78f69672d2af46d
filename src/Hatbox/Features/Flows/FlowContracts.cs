using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hatbox.Features.Flows;

/// <summary>A flow as the management API and the CLI show it; <c>document</c> is the current version's JSON.</summary>
internal sealed record FlowResponse(string FlowId, string WorkspaceId, string Name, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    JsonElement? Document);

/// <summary>A run, with each step's record for the timeline.</summary>
internal sealed record FlowRunResponse(
    string Id, string FlowId, int FlowVersion, string Status, string UserId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double? DurationMs,
    JsonElement? Input, JsonElement? Output, FlowRunError? Error, IReadOnlyList<FlowRunStepResponse> Steps);

/// <summary>A flow's last run (if any) and the runs it started this month, for the portal's list.</summary>
internal sealed record FlowRunSummary(string? LastStatus, DateTimeOffset? LastStartedAt, long RunsThisMonth);

internal sealed record FlowRunError(string Code, string Message, string? Step);

internal sealed record FlowRunStepResponse(
    string Key, string Id, string Uses, string Status, JsonElement? Input, JsonElement? Output, FlowRunError? Error, int Attempts,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double DurationMs, DateTimeOffset? WaitUntil);

// The public endpoints' answers, in the official SDK's field names (flows.ts, worqhat 3.14.0).

internal sealed record FlowTriggerResponse(
    bool Success, string Message,
    [property: JsonPropertyName("analytics_id")] string AnalyticsId,
    JsonElement? Data, string Status, DateTimeOffset Timestamp);

internal sealed record FlowMetricsResponse(bool Success, FlowMetrics Metrics, IReadOnlyList<FlowMetricsWorkflow> Workflows, FlowMetricsPage Pagination);

internal sealed record FlowMetrics(
    [property: JsonPropertyName("total_workflows")] int TotalWorkflows,
    [property: JsonPropertyName("completed_workflows")] int CompletedWorkflows,
    [property: JsonPropertyName("failed_workflows")] int FailedWorkflows,
    [property: JsonPropertyName("in_progress_workflows")] int InProgressWorkflows,
    [property: JsonPropertyName("avg_duration_ms")] double AvgDurationMs,
    [property: JsonPropertyName("metrics_by_user")] Dictionary<string, FlowUserMetrics> MetricsByUser);

internal sealed record FlowUserMetrics(int Total, int Completed, int Failed,
    [property: JsonPropertyName("in_progress")] int InProgress);

internal sealed record FlowMetricsWorkflow(
    string Id,
    [property: JsonPropertyName("workflow_id")] string WorkflowId,
    string Status,
    [property: JsonPropertyName("org_id")] string OrgId,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("start_timestamp")] DateTimeOffset StartTimestamp,
    [property: JsonPropertyName("end_timestamp")] DateTimeOffset? EndTimestamp);

internal sealed record FlowMetricsPage(int Page, int Limit, int Total,
    [property: JsonPropertyName("has_more")] bool HasMore);
