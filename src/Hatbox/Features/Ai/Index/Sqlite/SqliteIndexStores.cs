using System.Collections.Concurrent;
using Hatbox.Features.Db;
using Hatbox.Features.Db.Sqlite;

namespace Hatbox.Features.Ai.Index.Sqlite;

/// <summary>
/// The embedded engine: each workspace and environment's index in <c>{environment}.ai-index</c>
/// in the workspace's folder, beside its database, so the storage quota counts it.
/// </summary>
internal sealed class SqliteIndexStores(TenantDatabasePaths paths) : IIndexStores, IDisposable
{
    public const string IndexFileExtension = ".ai-index";

    readonly ConcurrentDictionary<(string, DbEnvironment), SqliteIndexStore> _stores = new();

    public string VectorEngine => VectorEngines.InProcess;

    public IIndexStore Get(string workspaceId, DbEnvironment environment) =>
        _stores.GetOrAdd((workspaceId, environment), key =>
        {
            Directory.CreateDirectory(paths.WorkspaceDirectory(key.Item1));
            return new SqliteIndexStore(IndexFile(key.Item1, key.Item2));
        });

    public Task<bool> ExistsAsync(string workspaceId, DbEnvironment environment, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(IndexFile(workspaceId, environment)));

    public Task<IReadOnlyList<(string WorkspaceId, DbEnvironment Environment)>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<(string, DbEnvironment)>();
        if (Directory.Exists(paths.Root))
        {
            foreach (var folder in Directory.EnumerateDirectories(paths.Root))
            {
                var workspaceId = Path.GetFileName(folder);
                found.AddRange(Enum.GetValues<DbEnvironment>().Where(e => File.Exists(IndexFile(workspaceId, e))).Select(e => (workspaceId, e)));
            }
        }
        return Task.FromResult<IReadOnlyList<(string, DbEnvironment)>>(found);
    }

    /// <summary>The index file of a workspace and environment (the move-to command copies these).</summary>
    public string IndexFile(string workspaceId, DbEnvironment environment) =>
        Path.Combine(paths.WorkspaceDirectory(workspaceId), environment.Name() + IndexFileExtension);

    public void Dispose()
    {
        foreach (var store in _stores.Values)
            store.Dispose();
    }
}
