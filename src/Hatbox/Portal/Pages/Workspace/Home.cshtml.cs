using Hatbox.Features.Workspaces;

namespace Hatbox.Portal.Pages.Workspace;

/// <summary>The workspace home with the seed's API card and its "Try Now" (seed S10).</summary>
internal sealed class HomeModel(WorkspaceService workspaces, WorkspaceHosts hosts) : WorkspacePage(workspaces, hosts);
