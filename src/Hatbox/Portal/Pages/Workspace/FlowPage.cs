using Hatbox.Features.Workspaces;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// A flows page: for the members the <c>/v1</c> flows API admits (developer or above with API
/// access, as for keys); anyone else gets the API Tokens screen's advice with a 403.
/// </summary>
internal abstract class FlowPage(WorkspaceService workspaces, WorkspaceHosts hosts, WorkspaceAccess access) : WorkspacePage(workspaces, hosts)
{
    bool? _allowed;

    public bool Allowed => _allowed == true;

    /// <summary>The flows API's rule, checked once per request; false also sets the 403.</summary>
    protected async Task<bool> RequireAccessAsync(CancellationToken ct)
    {
        _allowed ??= (await access.RequireApiAccessAsync(Me.UserId, Workspace.Id, ct)).Succeeded;
        if (!_allowed.Value)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }
        return _allowed.Value;
    }
}
