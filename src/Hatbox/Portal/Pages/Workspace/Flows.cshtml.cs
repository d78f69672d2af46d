using Hatbox.Features.Flows;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// The workspace's flows: name, id, version, last run and runs this month, from the same
/// <see cref="FlowService"/> as <c>/v1/workspaces/{id}/flows</c>; a new flow starts in the editor,
/// and deleting one keeps its runs in the history, as on the API.
/// </summary>
internal sealed class FlowsModel(WorkspaceService workspaces, WorkspaceHosts hosts, WorkspaceAccess access, FlowService flows, TimeProvider time)
    : FlowPage(workspaces, hosts, access)
{
    public IReadOnlyList<FlowResponse> Flows { get; private set; } = [];

    public Dictionary<string, FlowRunSummary> Summaries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ShowAsync(ct);

    public async Task<IActionResult> OnPostDeleteAsync(string flowId, CancellationToken ct)
    {
        if (!await RequireAccessAsync(ct))
        {
            return Page();
        }
        if (await flows.DeleteAsync(Workspace.Id, flowId, ct))
        {
            return Done("flows", "The flow is deleted; its runs stay in the history.");
        }
        Refuse(FlowErrors.FlowNotFound);
        return await ShowAsync(ct);
    }

    async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        if (await RequireAccessAsync(ct))
        {
            Flows = await flows.ListAsync(Workspace.Id, ct);
            Summaries = await flows.SummariesAsync(Workspace.Id, time.GetUtcNow(), ct);
        }
        return Page();
    }
}
