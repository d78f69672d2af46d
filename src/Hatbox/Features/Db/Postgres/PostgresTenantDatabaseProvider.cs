using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Db.Postgres;

/// <summary>
/// The PostgreSQL engine behind <see cref="ITenantDatabaseProvider"/>: one data source per
/// workspace and environment, connecting as that tenant's role, made on first use.
/// </summary>
internal sealed class PostgresTenantDatabaseProvider(IOptions<TenantStoreOptions> store, IOptions<DbOptions> options)
    : ITenantDatabaseProvider, IAsyncDisposable
{
    readonly ConcurrentDictionary<(string WorkspaceId, DbEnvironment Environment), Lazy<PostgresTenantDatabase>> _databases = new();
    readonly PostgresTenantProvisioner _provisioner = new(store.Value, options.Value);

    public ITenantDatabase Get(string workspaceId, DbEnvironment environment) =>
        _databases.GetOrAdd((workspaceId, environment),
            key => new Lazy<PostgresTenantDatabase>(() => new PostgresTenantDatabase(_provisioner, key.WorkspaceId, key.Environment, options.Value))).Value;

    /// <summary>After an outage: every pooled connection to the server is dead.</summary>
    public void ClearPools()
    {
        foreach (var database in _databases.Values.Where(d => d.IsValueCreated))
        {
            database.Value.ClearPool();
        }
    }

    /// <summary>Whether the tenants' server answers, on a fresh connection of the admin login (the health probe).</summary>
    public Task<bool> AnswersAsync(CancellationToken cancellationToken) => _provisioner.AnswersAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases.Values.Where(d => d.IsValueCreated))
        {
            await database.Value.DisposeAsync();
        }
        _provisioner.Dispose();
    }
}
