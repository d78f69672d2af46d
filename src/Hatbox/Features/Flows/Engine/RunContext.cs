using System.Collections.Concurrent;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Flows.Definitions;

namespace Hatbox.Features.Flows.Engine;

/// <summary>One execution of a run on this node: what it runs, as whom, and the step records it already has.</summary>
internal sealed class RunContext(FlowRun run, FlowDefinition definition, ApiCaller caller, IEnumerable<FlowRunStep> recorded)
{
    long _sequence = recorded.Select(s => s.Sequence).DefaultIfEmpty(0).Max();

    public FlowRun Run { get; } = run;

    public FlowDefinition Definition { get; } = definition;

    /// <summary>The key's creator as the /db endpoints would see them; db steps act as this caller.</summary>
    public ApiCaller Caller { get; } = caller;

    /// <summary>Step records by key, from earlier executions (after a restart) and this one.</summary>
    public ConcurrentDictionary<string, FlowRunStep> Recorded { get; } =
        new(recorded.Select(s => KeyValuePair.Create(s.StepKey, s)), StringComparer.Ordinal);

    public long NextSequence() => Interlocked.Increment(ref _sequence);
}

/// <summary>A run stops here for now: it sleeps in a <c>wait</c> until <see cref="WakeAt"/>, and any node may continue it then.</summary>
internal sealed class RunParked(DateTimeOffset wakeAt) : Exception("The run waits.")
{
    public DateTimeOffset WakeAt { get; } = wakeAt;
}

/// <summary>A step failed for good (after its retries): the run fails with it.</summary>
internal sealed class RunFailed(string stepId, StepFailure failure) : Exception(failure.Message)
{
    public string StepId { get; } = stepId;

    public StepFailure Failure { get; } = failure;
}
