using Hatbox.Features.Flows;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Mvc;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>A flow's runs, newest first (status, start, duration, version), as <c>GET /v1/…/flows/{id}/runs</c> lists them.</summary>
internal sealed class FlowRunsModel(WorkspaceService workspaces, WorkspaceHosts hosts, WorkspaceAccess access, FlowService flows)
    : FlowPage(workspaces, hosts, access)
{
    const int Shown = 100;

    public FlowResponse Flow { get; private set; } = null!;

    public IReadOnlyList<FlowRunResponse> Runs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string flowId, CancellationToken ct)
    {
        if (!await RequireAccessAsync(ct))
        {
            return Page();
        }
        var found = await flows.GetAsync(Workspace.Id, flowId, ct);
        if (!found.Succeeded)
        {
            return NotFound();
        }
        Flow = found.Value!;
        Runs = await flows.ListRunsAsync(Workspace.Id, flowId, Shown, ct);
        return Page();
    }

    public static string Duration(double? milliseconds) => milliseconds switch
    {
        null => "running",
        < 1_000 => $"{milliseconds:0.#} ms",
        < 60_000 => $"{milliseconds / 1000:0.##} s",
        _ => $"{milliseconds / 60_000:0.#} min",
    };
}
