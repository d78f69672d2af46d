using Hatbox.Features.Db;
using Hatbox.Features.Db.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hatbox.Features.Migration;

/// <summary>One workspace × environment: its SQLite file, and the tables planned for its PostgreSQL schema.</summary>
internal sealed record TenantSource(string WorkspaceId, DbEnvironment Environment, string Path, IReadOnlyList<TenantTable> Tables)
{
    public string Schema => PostgresTenantProvisioner.NameOf(WorkspaceId, Environment);

    public string Label => $"tenant {WorkspaceId}/{Environment.Name()}";
}

/// <summary>
/// Every tenant database of the data folder into its PostgreSQL schema, made by the tenant engine's
/// own provisioner (so the schema, its role and its grants are what a node would make). The tables
/// are created by the tenant's role, so it owns them as it would had it created them itself; each
/// tenant moves in one transaction, rows through binary <c>COPY</c>.
/// </summary>
internal sealed class TenantMove(string dataDirectory, TenantStoreOptions store, DbOptions options) : IDisposable
{
    readonly PostgresTenantProvisioner _provisioner = new(store, options);

    /// <summary>Reads and plans every tenant database; anything that cannot move is added to <paramref name="problems"/>.</summary>
    public List<TenantSource> Scan(List<string> problems, List<string> notMoved)
    {
        var root = new DirectoryInfo(Path.Combine(dataDirectory, "tenants"));
        var sources = new List<TenantSource>();
        if (!root.Exists)
        {
            return sources;
        }
        foreach (var folder in root.EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            foreach (var file in folder.EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                // Search index files (.ai-index) move with IndexMove, into their companion schemas.
                if (file.Extension != ".db")
                {
                    continue;
                }
                if (!DbEnvironments.TryParse(Path.GetFileNameWithoutExtension(file.Name), out var environment))
                {
                    problems.Add($"tenants/{folder.Name}/{file.Name}: not a database of an environment Hatbox knows.");
                    continue;
                }
                var label = $"tenant {folder.Name}/{environment.Name()}";
                try
                {
                    using var connection = TenantSchema.OpenReadOnly(file.FullName);
                    sources.Add(new TenantSource(folder.Name, environment, file.FullName, TenantSchema.Read(connection, label, problems)));
                }
                catch (SqliteException e)
                {
                    problems.Add($"{label}: cannot be read ({e.Message}).");
                }
            }
        }
        return sources;
    }

    /// <summary>Refuses if any tenant the move would make already has a schema there.</summary>
    public async Task PrepareTargetAsync(IReadOnlyList<TenantSource> sources, CancellationToken cancellationToken)
    {
        try
        {
            var existing = await TargetSchemas.ExistingAsync(store.ConnectionString, sources.Select(s => s.Schema), cancellationToken);
            if (existing.Count > 0)
            {
                throw MoveFailure.NotEmpty($"The target tenants database already has the schemas {string.Join(", ", existing)} of tenants being moved. "
                    + "Move only into an empty database (docs/scale-out.md, \"Moving an embedded installation\").");
            }
        }
        catch (NpgsqlException e)
        {
            throw MoveFailure.Config($"The target tenants database cannot be reached: {e.Message}");
        }
    }

    /// <summary>Copies one tenant; answers the source side's checksum per table, computed while copying.</summary>
    public async Task<Dictionary<string, RowChecksum>> CopyAsync(TenantSource source, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await _provisioner.EnsureAsync(source.WorkspaceId, source.Environment, cancellationToken))
        {
            Pooling = false,
        }.ToString();
        await using var target = new NpgsqlConnection(connectionString);
        await target.OpenAsync(cancellationToken);
        // The role's defaults are for requests; a large table takes longer than one request may.
        await ExecuteAsync(target, "SET statement_timeout = 0; SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0", cancellationToken);
        await using var transaction = await target.BeginTransactionAsync(cancellationToken);
        using var sqlite = TenantSchema.OpenReadOnly(source.Path);
        var sums = new Dictionary<string, RowChecksum>(StringComparer.Ordinal);
        foreach (var table in source.Tables)
        {
            await ExecuteAsync(target, table.Create, cancellationToken);
            sums[table.Target] = await CopyRowsAsync(sqlite, target, table, cancellationToken);
        }
        foreach (var table in source.Tables)
        {
            foreach (var statement in table.AfterRows)
            {
                await ExecuteAsync(target, statement, cancellationToken);
            }
            if (table.NextIdentity is { } next && table.Columns.First(c => c.Identity) is var identity)
            {
                await using var reset = new NpgsqlCommand("SELECT setval(pg_get_serial_sequence($1, $2), $3, false)", target)
                {
                    Parameters = { new() { Value = TenantSchema.Quote(table.Target) }, new() { Value = identity.Target }, new() { Value = next } },
                };
                await reset.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return sums;
    }

    static async Task<RowChecksum> CopyRowsAsync(SqliteConnection sqlite, NpgsqlConnection target, TenantTable table, CancellationToken cancellationToken)
    {
        var sum = new RowChecksum();
        using var read = new SqliteCommand(
            $"SELECT {string.Join(", ", table.Columns.Select(c => TenantSchema.Quote(c.Name)))} FROM {TenantSchema.Quote(table.Name)}", sqlite);
        using var reader = read.ExecuteReader();
        await using var writer = await target.BeginBinaryImportAsync(
            $"COPY {TenantSchema.Quote(table.Target)} ({string.Join(", ", table.Columns.Select(c => TenantSchema.Quote(c.Target)))}) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        while (reader.Read())
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var value = table.Columns[i].Type.Convert(reader.GetValue(i));
                sum.Add(value);
                if (value is null)
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await writer.WriteAsync(value, table.Columns[i].Type.DbType, cancellationToken);
                }
            }
            sum.EndRow();
        }
        await writer.CompleteAsync(cancellationToken);
        return sum;
    }

    /// <summary>Counts and checksums the tenant's tables in PostgreSQL, through its own role.</summary>
    public async Task<TenantReport> VerifyAsync(TenantSource source, Dictionary<string, RowChecksum> copied, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await _provisioner.EnsureAsync(source.WorkspaceId, source.Environment, cancellationToken))
        {
            Pooling = false,
        }.ToString();
        await using var target = new NpgsqlConnection(connectionString);
        await target.OpenAsync(cancellationToken);
        await ExecuteAsync(target, "SET statement_timeout = 0", cancellationToken);
        var tables = new Dictionary<string, TableReport>(StringComparer.Ordinal);
        foreach (var table in source.Tables)
        {
            var sum = new RowChecksum();
            await using var read = new NpgsqlCommand(
                $"SELECT {string.Join(", ", table.Columns.Select(c => TenantSchema.Quote(c.Target)))} FROM {TenantSchema.Quote(table.Target)}", target);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    sum.Add(reader.IsDBNull(i) ? null : reader.GetValue(i));
                }
                sum.EndRow();
            }
            var before = copied[table.Target];
            tables[table.Target] = new TableReport(before.Rows, sum.Rows, before.Hex(), sum.Hex());
        }
        return new TenantReport(source.WorkspaceId, source.Environment.Name(), source.Schema, tables);
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose() => _provisioner.Dispose();
}
