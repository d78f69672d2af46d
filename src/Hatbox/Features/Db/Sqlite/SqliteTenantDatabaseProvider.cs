using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// The SQLite engine behind <see cref="ITenantDatabaseProvider"/>: one connection pool per
/// workspace and environment, found without any global lock, so one tenant's long statement
/// never waits on another's. Idle connections are closed on a timer; files stay.
/// </summary>
internal sealed class SqliteTenantDatabaseProvider : ITenantDatabaseProvider, IDisposable
{
    readonly ConcurrentDictionary<(string WorkspaceId, DbEnvironment Environment), SqliteTenantDatabase> _databases = new();
    readonly TenantDatabasePaths _paths;
    readonly DbOptions _options;
    readonly TimeProvider _time;
    readonly ITimer _sweeper;
    readonly SqliteThreads _threads;

    public SqliteTenantDatabaseProvider(TenantDatabasePaths paths, IOptions<DbOptions> options, TimeProvider time)
    {
        _paths = paths;
        _options = options.Value;
        _time = time;
        SqliteHeapLimit.Apply(_options);
        _threads = new SqliteThreads(_options.SqlThreads);
        var idle = TimeSpan.FromSeconds(_options.IdleConnectionSeconds);
        _sweeper = time.CreateTimer(_ => CloseIdle(idle), null, idle, idle);
    }

    public ITenantDatabase Get(string workspaceId, DbEnvironment environment) =>
        _databases.GetOrAdd((workspaceId, environment), static (key, self) => self.Create(key.WorkspaceId, key.Environment), this);

    // A factory that loses a race to GetOrAdd leaves a pool that never opened a connection.
    SqliteTenantDatabase Create(string workspaceId, DbEnvironment environment) => new(
        new SqliteConnectionPool(_paths.DatabaseFile(workspaceId, environment), _options, _time), _threads, environment, _options);

    void CloseIdle(TimeSpan idle)
    {
        foreach (var database in _databases.Values)
        {
            database.Pool.CloseIdle(idle);
        }
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        _threads.Dispose();
        foreach (var database in _databases.Values)
        {
            database.Pool.Dispose();
        }
    }
}
