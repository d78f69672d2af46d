using System.Net.Sockets;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Hatbox.Features.Db.Postgres;

/// <summary>
/// The organization's tenant schemas on PostgreSQL, in bytes: <c>pg_total_relation_size</c> (heap,
/// TOAST, indexes, free-space and visibility maps) of every table, materialized view and sequence
/// in the schema of each of its workspaces and environments, as the SQLite engine counts the database
/// files. Measured on the admin login, which sees every schema; a tenant never chooses what is summed.
/// </summary>
internal sealed class PostgresSchemaMeter(HatboxDbContext db, IOptions<TenantStoreOptions> store) : IStorageMeter
{
    // Indexes and TOAST tables are inside their table's pg_total_relation_size; partitions are tables
    // of their own ('r'), their parent ('p') has no storage.
    const string SumOfSchemas = """
        SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'm', 'S')
        """;

    public async Task<long> MeasureBytesAsync(string organizationId, CancellationToken cancellationToken)
    {
        var workspaces = await db.Workspaces.AsNoTracking()
            .Where(w => w.OrganizationId == organizationId)
            .Select(w => w.Id)
            .ToListAsync(cancellationToken);
        if (workspaces.Count == 0)
        {
            return 0;
        }
        string[] schemas = [.. workspaces.SelectMany(workspace =>
            Enum.GetValues<DbEnvironment>().Select(environment => PostgresTenantProvisioner.NameOf(workspace, environment)))];
        try
        {
            await using var connection = new NpgsqlConnection(store.Value.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(SumOfSchemas, connection) { Parameters = { new() { Value = schemas } } };
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (NpgsqlException e) when (e.InnerException is SocketException or IOException or EndOfStreamException)
        {
            // As a statement would: the tenants' server is away, the client may retry (503).
            throw new StoreUnavailableException(StoreNames.Tenants, e);
        }
    }
}
