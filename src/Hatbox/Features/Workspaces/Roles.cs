namespace Hatbox.Features.Workspaces;

/// <summary>Role names on the wire: <c>admin</c>, <c>leader</c>, <c>developer</c>, <c>member</c>.</summary>
internal static class Roles
{
    public static string Name(WorkspaceRole role) => role switch
    {
        WorkspaceRole.Admin => "admin",
        WorkspaceRole.Leader => "leader",
        WorkspaceRole.Developer => "developer",
        _ => "member",
    };

    public static bool TryParse(string? value, out WorkspaceRole role)
    {
        role = WorkspaceRole.Member;
        switch (value?.Trim().ToLowerInvariant())
        {
            case "admin": role = WorkspaceRole.Admin; return true;
            case "leader": role = WorkspaceRole.Leader; return true;
            case "developer": role = WorkspaceRole.Developer; return true;
            case "member": return true;
            default: return false;
        }
    }
}
