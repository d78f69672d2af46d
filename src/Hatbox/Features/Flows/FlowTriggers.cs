using Hatbox.Features.Usage;
using Hatbox.Common;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Flows.Engine;
using Hatbox.Features.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Flows;

/// <summary>
/// Starts a run for a trigger and waits for it a while. The run row is committed before anything
/// runs, so an accepted trigger is never lost; the queue cap and the plan's monthly cap are checked
/// first, and a free slot starts the run on this node at once.
/// </summary>
internal sealed class FlowTriggers(
    HatboxDbContext db, FlowDefinitionCache definitions, RunDispatcher dispatcher, RunJournal journal, RunCompletions completions,
    PlanCatalog plans, IOptions<FlowOptions> options, TimeProvider time)
{
    public async Task<Outcome<FlowRun>> StartAsync(ApiCaller caller, string flowId, string inputJson, CancellationToken cancellationToken)
    {
        var flow = await db.Flows.AsNoTracking().Where(f => f.WorkspaceId == caller.WorkspaceId && f.Id == flowId)
            .Select(f => new { f.Id, f.Version }).FirstOrDefaultAsync(cancellationToken);
        var definition = flow is null ? null : await definitions.GetAsync(flow.Id, flow.Version, cancellationToken);
        if (flow is null || definition is null)
        {
            return FlowErrors.FlowNotFound;
        }
        var limits = options.Value;
        var queued = await db.FlowRuns.CountAsync(r => r.WorkspaceId == caller.WorkspaceId && r.Status == RunStatus.InProgress, cancellationToken);
        if (queued >= limits.MaxQueuedRunsPerWorkspace)
        {
            return FlowErrors.QueueFull(limits.MaxQueuedRunsPerWorkspace);
        }
        var now = time.GetUtcNow();
        if (plans.Get(caller.Plan).FlowRunsPerMonth is { } monthly)
        {
            var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var used = await FlowRunCount.OfOrganizationAsync(db, caller.OrganizationId, monthStart, monthStart.AddMonths(1), cancellationToken);
            if (used >= monthly)
            {
                return FlowErrors.RunsQuota(monthly, MonthlyQuotaRefusal.ResetText(now));
            }
        }
        var timeout = TimeSpan.FromSeconds(Math.Min(definition.Timeout?.TotalSeconds ?? limits.DefaultFlowTimeoutSeconds, limits.MaxFlowTimeoutSeconds));
        var reserved = dispatcher.TryReserve(caller.WorkspaceId);
        var run = new FlowRun
        {
            Id = Guid.NewGuid().ToString(),
            FlowId = flow.Id,
            FlowVersion = flow.Version,
            WorkspaceId = caller.WorkspaceId,
            OrganizationId = caller.OrganizationId,
            UserId = caller.CreatorUserId,
            KeyId = caller.KeyId,
            Status = RunStatus.InProgress,
            Input = inputJson,
            CreatedAt = now,
            Deadline = now + timeout,
            WakeAt = now,
            LeaseOwner = reserved ? dispatcher.NodeId : null,
            LeaseUntil = reserved ? dispatcher.LeaseUntil() : null,
        };
        _ = completions.Watch(run.Id);
        try
        {
            await journal.CommitAsync((context, ct) =>
            {
                context.FlowRuns.Add(run);
                return FlowRunCount.AddOneAsync(context, run, ct);
            });
        }
        catch
        {
            completions.Forget(run.Id);
            if (reserved)
            {
                dispatcher.ReturnReserved(caller.WorkspaceId);
            }
            throw;
        }
        if (reserved)
        {
            dispatcher.StartReserved(run.Id, caller.WorkspaceId);
        }
        else
        {
            dispatcher.Signal();
        }
        return run;
    }

    /// <summary>For the file trigger, which must not store a file for a flow that is not there.</summary>
    public Task<bool> ExistsAsync(ApiCaller caller, string flowId, CancellationToken cancellationToken) =>
        db.Flows.AnyAsync(f => f.WorkspaceId == caller.WorkspaceId && f.Id == flowId, cancellationToken);

    /// <summary>The run once it has finished, or as it stands when <see cref="FlowOptions.TriggerWaitSeconds"/> have passed.</summary>
    public async Task<FlowRun> WaitAsync(FlowRun started, CancellationToken cancellationToken)
    {
        var finished = completions.Watch(started.Id);
        try
        {
            await finished.WaitAsync(TimeSpan.FromSeconds(options.Value.TriggerWaitSeconds), time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Still running (or running on another node): answer with what is stored.
        }
        finally
        {
            completions.Forget(started.Id);
        }
        return await db.FlowRuns.AsNoTracking().FirstAsync(r => r.Id == started.Id, cancellationToken);
    }
}
