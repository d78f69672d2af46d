using System.Collections.Concurrent;

namespace Hatbox.Features.Flows.Engine;

/// <summary>Lets a trigger wait for the run it started when that run executes on this node.</summary>
internal sealed class RunCompletions
{
    readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    public Task Watch(string runId) =>
        _waiting.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Forget(string runId) => _waiting.TryRemove(runId, out _);

    /// <summary>Completes the watch if someone watches; the watcher removes it (<see cref="Forget"/>), so a late look still sees it done.</summary>
    public void Finished(string runId)
    {
        if (_waiting.TryGetValue(runId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
