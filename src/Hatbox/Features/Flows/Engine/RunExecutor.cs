using System.Diagnostics;
using System.Text.Json.Nodes;
using Hatbox.Features.Flows.Definitions;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Flows.Engine;

/// <summary>
/// Walks a run's steps from the top. A step that has a record from an earlier execution is not run
/// again: its recorded output is used, so after a crash the run continues at the first step without
/// one. Each step's record is committed (<see cref="RunJournal"/>) before the next step starts;
/// <c>if</c>, <c>foreach</c> and <c>wait</c> record what they decided (the branch, the items, the
/// deadline) before their children run, so a resumed run takes the same path.
/// </summary>
internal sealed class RunExecutor(StepKinds kinds, ValueResolver resolver, RunJournal journal, IOptions<FlowOptions> options, TimeProvider time)
{
    /// <summary>Waits up to this long sleep in process; longer ones park the run for the poller.</summary>
    static readonly TimeSpan InProcessWait = TimeSpan.FromSeconds(2);

    public async Task<string?> RunStepsAsync(IReadOnlyList<FlowStep> steps, RunScope scope, string suffix, RunContext context,
        CancellationToken cancellationToken)
    {
        string? last = null;
        foreach (var step in steps)
        {
            last = await RunStepAsync(step, scope, suffix, context, cancellationToken);
        }
        return last;
    }

    async Task<string?> RunStepAsync(FlowStep step, RunScope scope, string suffix, RunContext context, CancellationToken cancellationToken)
    {
        var key = step.Key + suffix;
        context.Recorded.TryGetValue(key, out var record);
        if (record?.Status == StepStatus.Completed)
        {
            scope.SetOutput(step.Id, record.Output);
            return record.Output;
        }
        var output = step.Uses switch
        {
            "wait" => await WaitAsync(step, key, record, scope, context, cancellationToken),
            "if" => await BranchAsync(step, key, record, scope, suffix, context, cancellationToken),
            "foreach" => await ForEachAsync(step, key, record, scope, suffix, context, cancellationToken),
            _ => await RunLeafAsync(step, key, scope, context, cancellationToken),
        };
        scope.SetOutput(step.Id, output);
        return output;
    }

    async Task<string?> RunLeafAsync(FlowStep step, string key, RunScope scope, RunContext context, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var limit = step.Timeout ?? TimeSpan.FromSeconds(options.Value.DefaultStepTimeoutSeconds);
        string? inputJson = null;
        for (var attempt = 1; ; attempt++)
        {
            using var attemptLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptLimit.CancelAfter(limit);
            try
            {
                JsonNode? with = null;
                if (step.Uses != "script")
                {
                    with = resolver.Resolve(step.With, scope, limit, attemptLimit.Token);
                    inputJson = with?.ToJsonString();
                }
                var output = await kinds.RunAsync(step, key, with, scope, context, limit, attemptLimit.Token);
                if (output.Length > options.Value.MaxStepOutputBytes)
                {
                    throw new StepFailure(StepErrorCodes.OutputTooLarge, $"The step's output is over {options.Value.MaxStepOutputBytes} bytes.", retryable: false);
                }
                await RecordAsync(context, NewRecord(step, key, StepStatus.Completed, inputJson, output, null, attempt, started, clock), cancellationToken);
                return output;
            }
            catch (Exception error) when (error is StepFailure or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var failure = error as StepFailure ?? new StepFailure(StepErrorCodes.StepTimeout, $"The step ran longer than {limit.TotalSeconds:0.###} s.");
                if (failure.Retryable && attempt <= step.Retry.Max)
                {
                    await Task.Delay(step.Retry.DelayBefore(attempt + 1), time, cancellationToken);
                    continue;
                }
                await RecordAsync(context, NewRecord(step, key, StepStatus.Failed, inputJson, null, failure, attempt, started, clock), CancellationToken.None);
                throw new RunFailed(step.Id, failure);
            }
        }
    }

    async Task<string?> WaitAsync(FlowStep step, string key, FlowRunStep? record, RunScope scope, RunContext context, CancellationToken cancellationToken)
    {
        if (record?.WaitUntil is null)
        {
            var with = resolver.Resolve(step.With, scope, TimeSpan.FromSeconds(options.Value.DefaultStepTimeoutSeconds), cancellationToken);
            var seconds = with?["seconds"] is JsonValue value && (value.TryGetValue<double>(out var number)
                || double.TryParse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture, out number)) ? number : -1;
            if (seconds is < 0 or > 31_536_000 || double.IsNaN(seconds))
            {
                var failure = new StepFailure(StepErrorCodes.InvalidArgument, "wait takes seconds: a number from 0 to 31536000.", retryable: false);
                await RecordAsync(context, NewRecord(step, key, StepStatus.Failed, with?.ToJsonString(), null, failure, 1, time.GetUtcNow(), Stopwatch.StartNew()), CancellationToken.None);
                throw new RunFailed(step.Id, failure);
            }
            record = NewRecord(step, key, StepStatus.Waiting, with?.ToJsonString(), null, null, 1, time.GetUtcNow(), Stopwatch.StartNew());
            record.WaitUntil = record.StartedAt.AddSeconds(seconds);
            await RecordAsync(context, record, cancellationToken);
        }
        var remaining = record.WaitUntil.Value - time.GetUtcNow();
        if (remaining > InProcessWait)
        {
            throw new RunParked(record.WaitUntil.Value);
        }
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, time, cancellationToken);
        }
        await CompleteAsync(context, record, null, cancellationToken);
        return null;
    }

    async Task<string?> BranchAsync(FlowStep step, string key, FlowRunStep? record, RunScope scope, string suffix, RunContext context,
        CancellationToken cancellationToken)
    {
        if (record is null)
        {
            var with = resolver.Resolve(step.With.GetProperty("condition"), scope, TimeSpan.FromSeconds(options.Value.DefaultStepTimeoutSeconds), cancellationToken);
            var taken = ValueResolver.IsTruthy(with);
            record = NewRecord(step, key, StepStatus.Running, new JsonObject { ["condition"] = taken }.ToJsonString(), null, null, 1, time.GetUtcNow(), Stopwatch.StartNew());
            await RecordAsync(context, record, cancellationToken);
        }
        var then = JsonNode.Parse(record.Input!)!["condition"]!.GetValue<bool>();
        var output = await RunStepsAsync(then ? step.Then : step.Else, scope, suffix, context, cancellationToken);
        await CompleteAsync(context, record, output, cancellationToken);
        return output;
    }

    async Task<string?> ForEachAsync(FlowStep step, string key, FlowRunStep? record, RunScope scope, string suffix, RunContext context,
        CancellationToken cancellationToken)
    {
        if (record is null)
        {
            var items = resolver.Resolve(step.With.GetProperty("items"), scope, TimeSpan.FromSeconds(options.Value.DefaultStepTimeoutSeconds), cancellationToken);
            StepFailure? failure = items is not JsonArray list
                ? new StepFailure(StepErrorCodes.InvalidArgument, "foreach items must be an array.", retryable: false)
                : list.Count > options.Value.MaxForeachItems
                    ? new StepFailure(StepErrorCodes.InvalidArgument, $"foreach takes at most {options.Value.MaxForeachItems} items.", retryable: false)
                    : null;
            record = NewRecord(step, key, failure is null ? StepStatus.Running : StepStatus.Failed, items?.ToJsonString() ?? "null", null, failure, 1,
                time.GetUtcNow(), Stopwatch.StartNew());
            await RecordAsync(context, record, failure is null ? cancellationToken : CancellationToken.None);
            if (failure is not null)
            {
                throw new RunFailed(step.Id, failure);
            }
        }
        var values = JsonNode.Parse(record.Input!)!.AsArray();
        var outputs = new string?[values.Count];
        var concurrency = step.With.TryGetProperty("concurrency", out var c) ? c.GetInt32() : 1;
        await Parallel.ForEachAsync(Enumerable.Range(0, values.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var itemScope = scope.ForItem(values[index]?.ToJsonString() ?? "null", index);
                outputs[index] = await RunStepsAsync(step.Body, itemScope, $"{suffix}#{index}", context, token);
            });
        var output = "[" + string.Join(",", outputs.Select(o => o ?? "null")) + "]";
        await CompleteAsync(context, record, output, cancellationToken);
        return output;
    }

    Task CompleteAsync(RunContext context, FlowRunStep record, string? output, CancellationToken cancellationToken)
    {
        var ended = time.GetUtcNow();
        record.Status = StepStatus.Completed;
        record.Output = output;
        record.EndedAt = ended;
        record.DurationMs = Math.Round((ended - record.StartedAt).TotalMilliseconds, 3);
        record.Sequence = context.NextSequence();
        return RecordAsync(context, record, cancellationToken);
    }

    FlowRunStep NewRecord(FlowStep step, string key, string status, string? input, string? output, StepFailure? failure, int attempts,
        DateTimeOffset started, Stopwatch clock) => new()
        {
            RunId = "",
            StepKey = key,
            StepId = step.Id,
            Uses = step.Uses,
            Status = status,
            Input = input,
            Output = output,
            ErrorCode = failure?.Code,
            ErrorMessage = failure?.Message,
            Attempts = attempts,
            StartedAt = started,
            EndedAt = status is StepStatus.Completed or StepStatus.Failed ? time.GetUtcNow() : null,
            DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 3),
        };

    /// <summary>Inserts or updates the step's record and returns once it is committed.</summary>
    async Task RecordAsync(RunContext context, FlowRunStep record, CancellationToken cancellationToken)
    {
        var stored = new FlowRunStep
        {
            RunId = context.Run.Id,
            StepKey = record.StepKey,
            StepId = record.StepId,
            Uses = record.Uses,
            Status = record.Status,
            Input = record.Input,
            Output = record.Output,
            ErrorCode = record.ErrorCode,
            ErrorMessage = record.ErrorMessage,
            Attempts = record.Attempts,
            StartedAt = record.StartedAt,
            EndedAt = record.EndedAt,
            DurationMs = record.DurationMs,
            WaitUntil = record.WaitUntil,
            Sequence = record.Sequence == 0 ? context.NextSequence() : record.Sequence,
        };
        var exists = context.Recorded.ContainsKey(record.StepKey);
        await journal.CommitAsync((db, _) =>
        {
            if (exists)
            {
                db.FlowRunSteps.Update(stored);
            }
            else
            {
                db.FlowRunSteps.Add(stored);
            }
            return Task.CompletedTask;
        }).WaitAsync(cancellationToken);
        record.Sequence = stored.Sequence;
        context.Recorded[record.StepKey] = stored;
    }
}

internal static class StepStatus
{
    public const string Running = "running";
    public const string Waiting = "waiting";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
