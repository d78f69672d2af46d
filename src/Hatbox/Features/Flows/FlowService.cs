using System.Text.Json;
using Hatbox.Common;
using Hatbox.Data;
using Hatbox.Features.Flows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Flows;

/// <summary>
/// Flow definitions of a workspace, for the /v1 API, the portal and the CLI alike. Saving validates
/// the document (schema and semantic checks) and makes a new version; older versions stay for the
/// runs that name them.
/// </summary>
internal sealed class FlowService(HatboxDbContext db, TimeProvider time)
{
    public async Task<Outcome<FlowResponse>> CreateAsync(string workspaceId, JsonElement document, Actor actor, CancellationToken cancellationToken)
    {
        var checkedDocument = Check(document);
        if (!checkedDocument.Succeeded)
        {
            return checkedDocument.Error!;
        }
        var now = time.GetUtcNow();
        var flow = new Flow { Id = Guid.NewGuid().ToString(), WorkspaceId = workspaceId, Name = checkedDocument.Value!.Name, Version = 1, CreatedAt = now, UpdatedAt = now };
        db.Flows.Add(flow);
        db.FlowVersions.Add(new FlowVersion { FlowId = flow.Id, Version = 1, Document = document.GetRawText(), CreatedAt = now, CreatedBy = actor.UserId });
        await db.SaveChangesAsync(cancellationToken);
        return Response(flow, document);
    }

    public async Task<Outcome<FlowResponse>> UpdateAsync(string workspaceId, string flowId, JsonElement document, Actor actor,
        CancellationToken cancellationToken)
    {
        var checkedDocument = Check(document);
        if (!checkedDocument.Succeeded)
        {
            return checkedDocument.Error!;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var flow = await db.Flows.FirstOrDefaultAsync(f => f.WorkspaceId == workspaceId && f.Id == flowId, cancellationToken);
        if (flow is null)
        {
            return FlowErrors.FlowNotFound;
        }
        flow.Version++;
        flow.Name = checkedDocument.Value!.Name;
        flow.UpdatedAt = time.GetUtcNow();
        db.FlowVersions.Add(new FlowVersion { FlowId = flow.Id, Version = flow.Version, Document = document.GetRawText(), CreatedAt = flow.UpdatedAt, CreatedBy = actor.UserId });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Response(flow, document);
    }

    public async Task<Outcome<FlowResponse>> GetAsync(string workspaceId, string flowId, CancellationToken cancellationToken)
    {
        var found = await (from f in db.Flows.AsNoTracking()
                           join v in db.FlowVersions.AsNoTracking() on new { FlowId = f.Id, f.Version } equals new { v.FlowId, v.Version }
                           where f.WorkspaceId == workspaceId && f.Id == flowId
                           select new { Flow = f, v.Document }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return FlowErrors.FlowNotFound;
        }
        using var parsed = JsonDocument.Parse(found.Document);
        return Response(found.Flow, parsed.RootElement.Clone());
    }

    public async Task<IReadOnlyList<FlowResponse>> ListAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await db.Flows.AsNoTracking().Where(f => f.WorkspaceId == workspaceId).OrderBy(f => f.CreatedAt).ToListAsync(cancellationToken))
        .Select(f => Response(f, null)).ToList();

    /// <summary>The flow and its versions go; its runs stay in the history until they are swept.</summary>
    public async Task<bool> DeleteAsync(string workspaceId, string flowId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var owned = db.Flows.Where(f => f.WorkspaceId == workspaceId && f.Id == flowId);
        await db.FlowVersions.Where(v => owned.Any(f => f.Id == v.FlowId)).ExecuteDeleteAsync(cancellationToken);
        var deleted = await owned.ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<IReadOnlyList<FlowRunResponse>> ListRunsAsync(string workspaceId, string? flowId, int limit, CancellationToken cancellationToken)
    {
        var runs = await db.FlowRuns.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && (flowId == null || r.FlowId == flowId))
            .OrderByDescending(r => r.CreatedAt).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        return runs.Select(r => FlowRuns.Response(r, [])).ToList();
    }

    public async Task<Outcome<FlowRunResponse>> GetRunAsync(string workspaceId, string runId, CancellationToken cancellationToken)
    {
        var run = await db.FlowRuns.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId && r.Id == runId, cancellationToken);
        if (run is null)
        {
            return FlowErrors.RunNotFound;
        }
        var steps = await db.FlowRunSteps.AsNoTracking().Where(s => s.RunId == runId).ToListAsync(cancellationToken);
        return FlowRuns.Response(run, steps.OrderBy(s => s.Sequence).ToList());
    }

    /// <summary>Validates a document without saving it (the portal's editor and the CLI use this too).</summary>
    public static Outcome<FlowDefinition> Check(JsonElement document)
    {
        var (definition, faults) = Validate(document);
        return definition is null ? FlowErrors.Invalid(faults) : definition;
    }

    /// <summary>What saving checks, with every fault: the portal's editor shows each next to the document.</summary>
    public static (FlowDefinition? Definition, IReadOnlyList<FlowFault> Faults) Validate(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return (null, [new FlowFault("/", "A flow is a JSON object.")]);
        }
        if (document.GetRawText().Length > FlowValidator.MaxDocumentBytes)
        {
            return (null, [new FlowFault("/", $"A flow document may be at most {FlowValidator.MaxDocumentBytes} bytes.")]);
        }
        return FlowValidator.Validate(document);
    }

    /// <summary>Per flow of the workspace, its last run and how many runs it started in the UTC month of <paramref name="now"/>, for the portal's list.</summary>
    public async Task<Dictionary<string, FlowRunSummary>> SummariesAsync(string workspaceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var month = Usage.BillingMonth.Of(now);
        var counts = await db.FlowRunCounts.AsNoTracking().Where(c => c.WorkspaceId == workspaceId && c.Month == month)
            .ToDictionaryAsync(c => c.FlowId, c => c.Runs, cancellationToken);
        var flowIds = await db.Flows.AsNoTracking().Where(f => f.WorkspaceId == workspaceId).Select(f => f.Id).ToListAsync(cancellationToken);
        var summaries = new Dictionary<string, FlowRunSummary>(StringComparer.Ordinal);
        foreach (var flowId in flowIds)
        {
            var last = await db.FlowRuns.AsNoTracking().Where(r => r.WorkspaceId == workspaceId && r.FlowId == flowId)
                .OrderByDescending(r => r.CreatedAt).Select(r => new { r.Status, r.CreatedAt }).FirstOrDefaultAsync(cancellationToken);
            summaries[flowId] = new FlowRunSummary(last?.Status, last?.CreatedAt, counts.GetValueOrDefault(flowId));
        }
        return summaries;
    }

    static FlowResponse Response(Flow flow, JsonElement? document) =>
        new(flow.Id, flow.WorkspaceId, flow.Name, flow.Version, flow.CreatedAt, flow.UpdatedAt, document);
}
