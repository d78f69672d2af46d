using System.Text;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Db;

/// <summary>
/// <c>/db/…</c>: the WorqHat database API on the key's workspace (never a workspace from the
/// path), in the environment the request names. Paths and fields are the official SDK's.
/// </summary>
internal static class DbEndpoints
{
    public static RouteGroupBuilder MapDb(this IEndpointRouteBuilder api)
    {
        var db = api.MapGroup("/db").WithTags("Database").RequireApiKey().AddEndpointFilter<DbAdmissionFilter>();

        db.MapPost("/query", ExecuteQuery).WithName("ExecuteDbQuery");
        db.MapPost("/insert", InsertRecord).WithName("InsertDbRecord");
        db.MapPut("/update", UpdateRecords).WithName("UpdateDbRecords");
        db.MapDelete("/delete", DeleteRecords).WithName("DeleteDbRecords");
        // Seed S4: one object per request.
        db.MapPost("/batch", () => DbErrors.Bulk("operations")).WithName("ExecuteDbBatch");
        db.MapDbTables();
        db.MapDbAi();
        return db;
    }

    static async Task<Results<JsonHttpResult<DbQueryResponse>, ApiError>> ExecuteQuery(
        Body<DbQueryRequest> body, ApiCaller caller, ITenantDatabaseProvider databases, DbStorageGate storage,
        IOptions<DbOptions> options, HttpContext http, CancellationToken ct)
    {
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        if (!environment.Succeeded)
        {
            return environment.Error!;
        }
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            return DbErrors.Missing("query", "Send one SQL statement in query.");
        }
        if (request.Query.Length > options.Value.MaxStatementBytes && Encoding.UTF8.GetByteCount(request.Query) > options.Value.MaxStatementBytes)
        {
            return DbErrors.TooLong(options.Value.MaxStatementBytes);
        }
        var parameters = SqlParameters.FromRequest(request.Params, options.Value.MaxParameters);
        if (!parameters.Succeeded)
        {
            return parameters.Error!;
        }
        var growth = Math.Max(1, http.Request.ContentLength ?? request.Query.Length);
        var query = new TenantQuery(request.Query, parameters.Value!,
            token => storage.CheckAsync(caller, growth, http.RequestServices, token))
        { Allowance = storage.AllowanceFor(caller) };

        var outcome = await databases.Get(caller.WorkspaceId, environment.Value).QueryAsync(query, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Error!.NoRetry(http);
        }
        var result = outcome.Value!;
        return TypedResults.Json(
            new DbQueryResponse(true, result, Math.Round(result.Elapsed.TotalMilliseconds, 3), request.Query, result.Truncated, result.Changes),
            DbJsonContext.Default.DbQueryResponse);
    }

    static async Task<Results<JsonHttpResult<DbInsertResponse>, ApiError>> InsertRecord(
        Body<DbInsertRequest> body, ApiCaller caller, ITenantDatabaseProvider databases, DbStorageGate storage,
        IOptions<DbOptions> options, HttpContext http, CancellationToken ct)
    {
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        var table = DbRequests.Table(request.Table);
        var data = DbRequests.Columns(request.Data, "data", allowEmpty: true, options.Value.MaxColumns);
        if ((environment.Error ?? table.Error ?? data.Error) is { } invalid)
        {
            return invalid;
        }
        if (await storage.CheckAsync(caller, Math.Max(1, http.Request.ContentLength ?? 1), http.RequestServices, ct) is { } full)
        {
            return full;
        }
        var outcome = await databases.Get(caller.WorkspaceId, environment.Value).InsertAsync(table.Value!, data.Value!, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Error!.NoRetry(http);
        }
        var row = outcome.Value!.Rows.Count > 0 ? new QueryRow(outcome.Value, 0) : null;
        return TypedResults.Json(new DbInsertResponse(true, row, "Record inserted."), DbJsonContext.Default.DbInsertResponse);
    }

    static async Task<Results<JsonHttpResult<DbChangeResponse>, ApiError>> UpdateRecords(
        Body<DbUpdateRequest> body, ApiCaller caller, ITenantDatabaseProvider databases, DbStorageGate storage,
        IOptions<DbOptions> options, HttpContext http, CancellationToken ct)
    {
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        var table = DbRequests.Table(request.Table);
        var data = DbRequests.Columns(request.Data, "data", allowEmpty: false, options.Value.MaxColumns);
        var where = DbRequests.Columns(request.Where, "where", allowEmpty: false, options.Value.MaxColumns);
        if ((environment.Error ?? table.Error ?? data.Error ?? where.Error) is { } invalid)
        {
            return invalid;
        }
        if (await storage.CheckAsync(caller, Math.Max(1, http.Request.ContentLength ?? 1), http.RequestServices, ct) is { } full)
        {
            return full;
        }
        var outcome = await databases.Get(caller.WorkspaceId, environment.Value).UpdateAsync(table.Value!, data.Value!, where.Value!, ct);
        return !outcome.Succeeded ? outcome.Error!.NoRetry(http) : Changed(outcome.Value!, "updated");
    }

    /// <summary>No quota check: deleting is how a tenant at its quota makes room.</summary>
    static async Task<Results<JsonHttpResult<DbChangeResponse>, ApiError>> DeleteRecords(
        Body<DbDeleteRequest> body, ApiCaller caller, ITenantDatabaseProvider databases,
        IOptions<DbOptions> options, HttpContext http, CancellationToken ct)
    {
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        var table = DbRequests.Table(request.Table);
        var where = DbRequests.Columns(request.Where, "where", allowEmpty: false, options.Value.MaxColumns);
        if ((environment.Error ?? table.Error ?? where.Error) is { } invalid)
        {
            return invalid;
        }
        var outcome = await databases.Get(caller.WorkspaceId, environment.Value).DeleteAsync(table.Value!, where.Value!, ct);
        return !outcome.Succeeded ? outcome.Error!.NoRetry(http) : Changed(outcome.Value!, "deleted");
    }

    static JsonHttpResult<DbChangeResponse> Changed(QueryResult result, string verb) => TypedResults.Json(
        new DbChangeResponse(true, result.Changes, result, $"{result.Changes} record{(result.Changes == 1 ? "" : "s")} {verb}.", result.Truncated),
        DbJsonContext.Default.DbChangeResponse);
}
