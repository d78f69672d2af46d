using System.Text.Json.Nodes;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Flows.Engine;

/// <summary>
/// Executes one run that this node holds the lease of, from its stored state to its next stop: the
/// end (completed or failed, with the lease given back in the same write), or a long <c>wait</c>
/// (parked with its wake-up time for whichever node polls first).
/// </summary>
internal sealed partial class RunHost(
    IServiceScopeFactory scopes, FlowDefinitionCache definitions, RunExecutor executor, ValueResolver resolver, RunJournal journal,
    RunCompletions completions, TimeProvider time, ILogger<RunHost> logger)
{
    public async Task ExecuteAsync(string runId, CancellationToken stopping)
    {
        var loaded = await LoadAsync(runId, stopping);
        if (loaded is null)
        {
            completions.Finished(runId);
            return;
        }
        var (run, context) = loaded.Value;
        if (context is null)
        {
            await FinishAsync(run, null, new StepFailure(StepErrorCodes.InvalidArgument, "The flow version of this run no longer exists."), null);
            return;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var left = run.Deadline - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            await FinishAsync(run, null, FlowTimeout(), null);
            return;
        }
        deadline.CancelAfter(left);
        var scope = RunScope.ForRun(run.Input, run.Id, run.FlowId, run.CreatedAt);
        try
        {
            var last = await executor.RunStepsAsync(context.Definition.Steps, scope, "", context, deadline.Token);
            var output = context.Definition.Output is { } template
                ? resolver.Resolve(template, scope, TimeSpan.FromSeconds(5), deadline.Token)
                : JsonNode.Parse(last ?? "null");
            var data = output is JsonObject ? output : new JsonObject { ["result"] = output };
            await FinishAsync(run, data.ToJsonString(), null, null);
        }
        catch (RunParked parked)
        {
            var wakeAt = parked.WakeAt < run.Deadline ? parked.WakeAt : run.Deadline;
            await journal.CommitAsync((db, ct) => db.FlowRuns.Where(r => r.Id == run.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.WakeAt, wakeAt).SetProperty(r => r.LeaseOwner, (string?)null)
                    .SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), ct));
        }
        catch (RunFailed failed)
        {
            await FinishAsync(run, null, failed.Failure, failed.StepId);
        }
        catch (Exception error) when (error is OperationCanceledException or StepFailure && stopping.IsCancellationRequested)
        {
            // The server stops: give the run back so the next start (or another node) continues it at once.
            await journal.CommitAsync((db, ct) => db.FlowRuns.Where(r => r.Id == run.Id && r.Status == RunStatus.InProgress)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), ct));
        }
        catch (Exception error) when (error is OperationCanceledException or StepFailure && deadline.IsCancellationRequested)
        {
            await FinishAsync(run, null, FlowTimeout(), null);
        }
        catch (StepFailure failure)
        {
            await FinishAsync(run, null, failure, null);
        }
        catch (Exception error)
        {
            LogRunCrashed(logger, error, run.Id);
            await FinishAsync(run, null, new StepFailure("internal_error", "The run failed on our side."), null);
        }
    }

    static StepFailure FlowTimeout() => new(StepErrorCodes.FlowTimeout, "The run went past the flow's maximum duration (timeout).");

    async Task<(FlowRun, RunContext?)?> LoadAsync(string runId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var run = await db.FlowRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.Status != RunStatus.InProgress)
        {
            return null;
        }
        var definition = await definitions.GetAsync(run.FlowId, run.FlowVersion, cancellationToken);
        if (definition is null)
        {
            return (run, null);
        }
        var plan = await db.Organizations.AsNoTracking().Where(o => o.Id == run.OrganizationId).Select(o => o.Plan).FirstOrDefaultAsync(cancellationToken);
        var member = await db.Memberships.AsNoTracking()
            .FirstOrDefaultAsync(m => m.WorkspaceId == run.WorkspaceId && m.UserId == run.UserId, cancellationToken);
        var caller = new ApiCaller(run.KeyId, run.WorkspaceId, "", run.OrganizationId, plan ?? "free", null, run.UserId,
            member?.Role, member?.ApiAccess ?? false, null, null, []);
        var recorded = await db.FlowRunSteps.AsNoTracking().Where(s => s.RunId == runId).ToListAsync(cancellationToken);
        return (run, new RunContext(run, definition, caller, recorded));
    }

    async Task FinishAsync(FlowRun run, string? output, StepFailure? failure, string? stepId)
    {
        var ended = time.GetUtcNow();
        var status = failure is null ? RunStatus.Completed : RunStatus.Failed;
        await journal.CommitAsync((db, ct) => db.FlowRuns.Where(r => r.Id == run.Id)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.Output, output)
                .SetProperty(r => r.ErrorCode, failure == null ? null : failure.Code)
                .SetProperty(r => r.ErrorMessage, failure == null ? null : failure.Message)
                .SetProperty(r => r.ErrorStep, stepId)
                .SetProperty(r => r.EndedAt, ended)
                .SetProperty(r => r.WakeAt, (DateTimeOffset?)null)
                .SetProperty(r => r.LeaseOwner, (string?)null)
                .SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), ct));
        completions.Finished(run.Id);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Flow run {RunId} failed on our side")]
    private static partial void LogRunCrashed(ILogger logger, Exception error, string runId);
}

internal static class RunStatus
{
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
