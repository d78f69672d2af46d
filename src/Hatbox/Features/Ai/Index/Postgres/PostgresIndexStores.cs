using System.Collections.Concurrent;
using Hatbox.Features.Db;
using Hatbox.Features.Db.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hatbox.Features.Ai.Index.Postgres;

/// <summary>
/// The scale-out engine: every workspace and environment's index in a companion schema of the
/// tenants' database (see <see cref="PostgresIndexStore"/>), through the platform's login
/// (<c>Tenants:ConnectionString</c>), and a registry of them (<c>hatbox_ai.stores</c>) so a node
/// that starts finds every index some node made. pgvector is used when the server has it
/// installed, or offers it and the login may install it; tenants are never given the right.
/// </summary>
internal sealed partial class PostgresIndexStores(IOptions<TenantStoreOptions> options, ILogger<PostgresIndexStores> logger)
    : IIndexStores, IAsyncDisposable
{
    public const string Registry = "hatbox_ai.stores";

    readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(options.Value.IndexConnectionString ?? options.Value.ConnectionString!);
    readonly ConcurrentDictionary<(string, DbEnvironment), PostgresIndexStore> _stores = new();
    readonly SemaphoreSlim _starting = new(1, 1);
    volatile string? _engine;

    /// <summary>In-process until the server has been asked (the indexer does at start).</summary>
    public string VectorEngine => _engine ?? VectorEngines.InProcess;

    public IIndexStore Get(string workspaceId, DbEnvironment environment) =>
        _stores.GetOrAdd((workspaceId, environment),
            key => new PostgresIndexStore(_source, SchemaOf(key.Item1, key.Item2), key.Item1, key.Item2, UsesPgvectorAsync));

    async Task<bool> UsesPgvectorAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        return _engine == VectorEngines.Pgvector;
    }

    /// <summary>The companion schema of a tenant's: its name plus <c>_ai</c>, so an operator sees which belongs to which.</summary>
    public static string SchemaOf(string workspaceId, DbEnvironment environment) => PostgresTenantProvisioner.NameOf(workspaceId, environment) + "_ai";

    public async Task<bool> ExistsAsync(string workspaceId, DbEnvironment environment, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await using var command = _source.CreateCommand($"SELECT 1 FROM {Registry} WHERE schema_name = $1");
        command.Parameters.Add(new() { Value = SchemaOf(workspaceId, environment) });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<IReadOnlyList<(string WorkspaceId, DbEnvironment Environment)>> ListAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await using var command = _source.CreateCommand($"SELECT workspace_id, environment FROM {Registry} ORDER BY workspace_id, environment");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<(string, DbEnvironment)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (DbEnvironments.TryParse(reader.GetString(1), out var environment))
                found.Add((reader.GetString(0), environment));
        }
        return found;
    }

    /// <summary>Once per process: the registry, and whether vectors are pgvector's.</summary>
    async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_engine is not null)
            return;
        await _starting.WaitAsync(cancellationToken);
        try
        {
            if (_engine is not null)
                return;
            await using var connection = await _source.OpenConnectionAsync(cancellationToken);
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                await ExecuteAsync(connection, """
                    SELECT pg_advisory_xact_lock(hashtext('hatbox_ai'));
                    CREATE SCHEMA IF NOT EXISTS hatbox_ai;
                    REVOKE ALL ON SCHEMA hatbox_ai FROM PUBLIC;
                    CREATE TABLE IF NOT EXISTS hatbox_ai.stores (schema_name text PRIMARY KEY, workspace_id text NOT NULL, environment text NOT NULL);
                    """, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            _engine = await DetectPgvectorAsync(connection, cancellationToken) ? VectorEngines.Pgvector : VectorEngines.InProcess;
            LogEngine(logger, _engine);
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>Installed already, or offered and ours to install; a login without the privilege gets in-process search.</summary>
    static async Task<bool> DetectPgvectorAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var installed = new NpgsqlCommand("SELECT 1 FROM pg_extension WHERE extname = 'vector'", connection))
        {
            if (await installed.ExecuteScalarAsync(cancellationToken) is not null)
                return true;
        }
        await using (var offered = new NpgsqlCommand("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'", connection))
        {
            if (await offered.ExecuteScalarAsync(cancellationToken) is null)
                return false;
        }
        try
        {
            await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS vector", cancellationToken);
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index vectors on PostgreSQL: {Engine}")]
    static partial void LogEngine(ILogger logger, string engine);

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores.Values)
            store.Dispose();
        await _source.DisposeAsync();
        _starting.Dispose();
    }
}
