namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// Where tenant databases live: <c>data/tenants/{workspaceId}/{environment}.db</c>. The path is
/// built from the key's workspace id, never from request input, and the id is checked to be a
/// plain token before it names anything on disk.
/// </summary>
internal sealed class TenantDatabasePaths(string dataDirectory)
{
    public string Root { get; } = Path.Combine(Path.GetFullPath(dataDirectory), "tenants");

    public string WorkspaceDirectory(string workspaceId)
    {
        if (workspaceId.Length is 0 or > 64 || !workspaceId.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException("A workspace id must be letters, digits and underscores.", nameof(workspaceId));
        }
        return Path.Combine(Root, workspaceId);
    }

    public string DatabaseFile(string workspaceId, DbEnvironment environment) =>
        Path.Combine(WorkspaceDirectory(workspaceId), environment.Name() + ".db");
}
