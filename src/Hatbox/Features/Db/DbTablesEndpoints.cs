using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Db;

/// <summary><c>/db/tables…</c>: the catalog of the caller's own tables (never SQLite's internal ones).</summary>
internal static class DbTablesEndpoints
{
    public static RouteGroupBuilder MapDbTables(this RouteGroupBuilder db)
    {
        db.MapGet("/tables", ListTables).WithName("ListDbTables");
        db.MapGet("/tables/{table}/count", GetTableRowCount).WithName("GetDbTableRowCount");
        db.MapGet("/tables/{table}/schema", GetTableSchema).WithName("GetDbTableSchema");
        return db;
    }

    /// <summary>The SDK's optional <c>schema</c> filter: every table is in <c>public</c>, so any other schema lists none.</summary>
    static async Task<Results<JsonHttpResult<DbTablesResponse>, ApiError>> ListTables(
        string? schema, ApiCaller caller, ITenantDatabaseProvider databases, HttpContext http, CancellationToken ct)
    {
        var environment = DbRequests.Environment(null, http.Request);
        if (!environment.Succeeded)
        {
            return environment.Error!;
        }
        if (!string.IsNullOrEmpty(schema) && schema != "public")
        {
            return TypedResults.Json(new DbTablesResponse(true, [], 0), DbJsonContext.Default.DbTablesResponse);
        }
        var tables = await databases.Get(caller.WorkspaceId, environment.Value).ListTablesAsync(ct);
        return !tables.Succeeded
            ? tables.Error!.NoRetry(http)
            : TypedResults.Json(new DbTablesResponse(true, tables.Value!, tables.Value!.Count), DbJsonContext.Default.DbTablesResponse);
    }

    static async Task<Results<JsonHttpResult<DbCountResponse>, ApiError>> GetTableRowCount(
        string table, ApiCaller caller, ITenantDatabaseProvider databases, HttpContext http, CancellationToken ct)
    {
        var environment = DbRequests.Environment(null, http.Request);
        if (!environment.Succeeded)
        {
            return environment.Error!;
        }
        var count = await databases.Get(caller.WorkspaceId, environment.Value).CountRowsAsync(table, ct);
        return !count.Succeeded
            ? count.Error!.NoRetry(http)
            : TypedResults.Json(new DbCountResponse(true, table, count.Value), DbJsonContext.Default.DbCountResponse);
    }

    static async Task<Results<JsonHttpResult<DbSchemaResponse>, ApiError>> GetTableSchema(
        string table, ApiCaller caller, ITenantDatabaseProvider databases, HttpContext http, CancellationToken ct)
    {
        var environment = DbRequests.Environment(null, http.Request);
        if (!environment.Succeeded)
        {
            return environment.Error!;
        }
        var columns = await databases.Get(caller.WorkspaceId, environment.Value).GetColumnsAsync(table, ct);
        return !columns.Succeeded
            ? columns.Error!.NoRetry(http)
            : TypedResults.Json(new DbSchemaResponse(true, table, columns.Value!), DbJsonContext.Default.DbSchemaResponse);
    }
}
