namespace Hatbox.Common.Readiness;

/// <summary>
/// Whether this node may serve: the platform store answered, its schema is migrated and the
/// start-up steps that need it (<see cref="IPlatformStartupStep"/>) ran. A node listens before
/// that (its platform PostgreSQL may be failing over while the node restarts) and answers
/// <c>503</c> until then; background jobs wait here instead of failing against a store that is not there.
/// </summary>
internal sealed class PlatformReadiness
{
    readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    volatile bool _migrated;

    /// <summary>Read on every request while the node starts, and after: one volatile read.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>The schema is up to date in this process's view (migrated here, by the start-up or a test's own call).</summary>
    public bool IsMigrated => _migrated;

    /// <summary>Completes once the node is ready; a stop cancels it.</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>What a background job awaits first; a job built without readiness (a benchmark's) starts at once.</summary>
    public static Task WhenReadyAsync(PlatformReadiness? readiness, CancellationToken cancellationToken) =>
        readiness?.WhenReadyAsync(cancellationToken) ?? Task.CompletedTask;

    internal void MarkMigrated() => _migrated = true;

    internal void MarkReady() => _ready.TrySetResult();
}
