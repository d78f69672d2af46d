namespace Hatbox.Features.Workspaces;

/// <summary>Roles in rising order of power; comparisons such as <c>role >= Developer</c> rely on it.</summary>
internal enum WorkspaceRole
{
    Member = 0,
    Developer = 1,
    Leader = 2,
    Admin = 3,
}
