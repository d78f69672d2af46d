using Hatbox.Features.Organizations;
using Hatbox.Features.Telemetry;
using Hatbox.Features.Workspaces;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>
/// This server's requests, errors and latency over the last hour and the last day, from the same
/// measurements the Prometheus exporter serves (<see cref="RequestTimeline"/>). The figures are the
/// whole server's, every organization's traffic, so only organization admins see them.
/// </summary>
internal sealed class ServerModel(WorkspaceService workspaces, WorkspaceHosts hosts, OrganizationAccess access, RequestTimeline timeline)
    : WorkspacePage(workspaces, hosts)
{
    public bool Allowed { get; private set; }

    /// <summary>60 one-minute points.</summary>
    public IReadOnlyList<TimelinePoint> LastHour { get; private set; } = [];

    /// <summary>96 fifteen-minute points.</summary>
    public IReadOnlyList<TimelinePoint> LastDay { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (await access.RequireAdminAsync(Me.UserId, Workspace.OrganizationId, ct) is not null)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        Allowed = true;
        LastHour = timeline.Read(60, 1);
        LastDay = timeline.Read(96, 15);
    }
}
