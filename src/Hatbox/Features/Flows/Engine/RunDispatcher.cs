using System.Collections.Concurrent;
using Hatbox.Common;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Flows.Engine;

/// <summary>
/// Starts runs on this node. A trigger that finds a free slot starts its run at once, holding the
/// lease from the insert on; every other run (queued, woken from a <c>wait</c>, left by a node that
/// died) is found by polling for due runs without a live lease, claimed with one conditional
/// UPDATE (so two nodes never both get it), and started as slots free up. Leases are renewed while
/// runs execute; a node that dies stops renewing, and another takes its runs over.
/// </summary>
internal sealed partial class RunDispatcher(
    IServiceScopeFactory scopes, RunHost host, RunJournal journal, RunSlots slots, IOptions<FlowOptions> options, TimeProvider time, ILogger<RunDispatcher> logger,
    Common.Readiness.PlatformReadiness? readiness = null)
    : BackgroundService
{
    readonly SemaphoreSlim _signal = new(0, 1);
    readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    CancellationToken _stopping = CancellationToken.None;

    public string NodeId { get; } = Ids.New("node");

    /// <summary>Runs this node is running now (the <c>hatbox.flows.runs.active</c> gauge).</summary>
    internal int ActiveRuns => _running.Count;

    TimeSpan Lease => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>For a trigger: a slot for a new run of this workspace, if one is free now.</summary>
    public bool TryReserve(string workspaceId) => !_stopping.IsCancellationRequested && slots.TryTake(workspaceId);

    public DateTimeOffset LeaseUntil() => time.GetUtcNow() + Lease;

    public void ReturnReserved(string workspaceId) => slots.Return(workspaceId);

    /// <summary>Starts a run whose lease this node took in the same write that created it.</summary>
    public void StartReserved(string runId, string workspaceId) => Start(runId, workspaceId);

    /// <summary>Something may be due: look now rather than at the next poll.</summary>
    public void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread signalled first; one wake-up is enough.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        await Common.Readiness.PlatformReadiness.WhenReadyAsync(readiness, stoppingToken);
        await ReleaseOrphanedLeasesAsync(stoppingToken);
        var lastRenewal = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchDueAsync(stoppingToken);
                if (time.GetUtcNow() - lastRenewal >= Lease / 3)
                {
                    await RenewLeasesAsync(stoppingToken);
                    lastRenewal = time.GetUtcNow();
                }
                await _signal.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                LogPollFailed(logger, error);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        await Task.WhenAll(_running.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// The embedded store has exactly one server on its data folder, so leases found at start are
    /// from this node's previous life (a crash): free them now rather than wait for them to expire.
    /// </summary>
    async Task ReleaseOrphanedLeasesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        if (db.Database.IsSqlite())
        {
            await db.FlowRuns.Where(r => r.Status == RunStatus.InProgress && r.LeaseOwner != null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        }
    }

    async Task DispatchDueAsync(CancellationToken cancellationToken)
    {
        if (slots.IsFull)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var now = time.GetUtcNow();
        var due = db.FlowRuns.Where(r => r.Status == RunStatus.InProgress && r.WakeAt <= now && (r.LeaseUntil == null || r.LeaseUntil < now));
        // Workspace by workspace, so one workspace's long queue does not hide another's runs.
        var workspaces = await due.Select(r => r.WorkspaceId).Distinct().Take(200).ToListAsync(cancellationToken);
        var taken = new List<(string RunId, string WorkspaceId)>();
        foreach (var workspaceId in workspaces)
        {
            var candidates = await due.Where(r => r.WorkspaceId == workspaceId).OrderBy(r => r.WakeAt)
                .Select(r => r.Id).Take(options.Value.MaxConcurrentRunsPerWorkspace).ToListAsync(cancellationToken);
            foreach (var runId in candidates)
            {
                if (!slots.TryTake(workspaceId))
                {
                    break;
                }
                taken.Add((runId, workspaceId));
            }
        }
        if (taken.Count == 0)
        {
            return;
        }
        // All claims in one journal transaction: the journal is the only writer of run state, so claims
        // share its fsync and never wait on its lock (SQLite's busy retry sleeps 150 ms a time).
        var until = LeaseUntil();
        var claimed = await journal.CommitAsync(async (writer, ct) =>
        {
            var won = new bool[taken.Count];
            for (var i = 0; i < taken.Count; i++)
            {
                var runId = taken[i].RunId;
                won[i] = await writer.FlowRuns
                    .Where(r => r.Id == runId && r.Status == RunStatus.InProgress && (r.LeaseUntil == null || r.LeaseUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, NodeId).SetProperty(r => r.LeaseUntil, until), ct) == 1;
            }
            return won;
        });
        for (var i = 0; i < taken.Count; i++)
        {
            if (claimed[i])
            {
                Start(taken[i].RunId, taken[i].WorkspaceId);
            }
            else
            {
                slots.Return(taken[i].WorkspaceId);
            }
        }
    }

    async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        if (_running.IsEmpty)
        {
            return;
        }
        var until = LeaseUntil();
        await journal.CommitAsync((db, ct) => db.FlowRuns.Where(r => r.LeaseOwner == NodeId && r.Status == RunStatus.InProgress)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, until), ct)).WaitAsync(cancellationToken);
    }

    void Start(string runId, string workspaceId)
    {
        var run = Task.Run(async () =>
        {
            try
            {
                await host.ExecuteAsync(runId, _stopping);
            }
            catch (Exception error)
            {
                LogRunFailed(logger, error, runId);
            }
            finally
            {
                _running.TryRemove(runId, out _);
                slots.Return(workspaceId);
                Signal();
            }
        }, CancellationToken.None);
        _running[runId] = run;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling for due flow runs failed")]
    private static partial void LogPollFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Flow run {RunId} stopped unexpectedly")]
    private static partial void LogRunFailed(ILogger logger, Exception error, string runId);
}
