using System.Text.Json;

namespace Hatbox.Features.Flows;

/// <summary>Turns stored runs and step records into their answers.</summary>
internal static class FlowRuns
{
    public static FlowRunResponse Response(FlowRun run, IReadOnlyList<FlowRunStep> steps) => new(
        run.Id, run.FlowId, run.FlowVersion, run.Status, run.UserId, run.CreatedAt, run.EndedAt,
        run.EndedAt is { } ended ? Math.Round((ended - run.CreatedAt).TotalMilliseconds, 3) : null,
        Parse(run.Input), Parse(run.Output),
        run.ErrorCode is null ? null : new FlowRunError(run.ErrorCode, run.ErrorMessage ?? "", run.ErrorStep),
        steps.Select(s => new FlowRunStepResponse(s.StepKey, s.StepId, s.Uses, s.Status, Parse(s.Input), Parse(s.Output),
            s.ErrorCode is null ? null : new FlowRunError(s.ErrorCode, s.ErrorMessage ?? "", s.StepId),
            s.Attempts, s.StartedAt, s.EndedAt, s.DurationMs, s.WaitUntil)).ToList());

    public static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
