using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Db;
using Hatbox.Features.Flows.Engine;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Flows.Steps;

/// <summary>
/// <c>db.query</c>, <c>db.insert</c>, <c>db.update</c>, <c>db.delete</c>: the /db endpoints' checks
/// and engine seam (<see cref="ITenantDatabaseProvider"/>) on the run's workspace, acting as the
/// key's creator, with the storage quota in front of growing writes. Outputs are what the
/// matching endpoint answers.
/// </summary>
internal sealed class DbSteps(ITenantDatabaseProvider databases, DbStorageGate storage, IOptions<DbOptions> options, IServiceScopeFactory scopes)
{
    public async Task<JsonNode?> RunAsync(string uses, JsonObject with, ApiCaller caller, CancellationToken cancellationToken)
    {
        // The quota check measures through scoped services (the platform database); one scope per step.
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var element = JsonSerializer.SerializeToElement(with);
        var environment = Check(DbRequests.Environment(Text(with, "environment"), EmptyRequest.Value));
        var database = databases.Get(caller.WorkspaceId, environment);
        var limits = options.Value;
        switch (uses)
        {
            case "db.query":
                var query = Text(with, "query");
                if (string.IsNullOrWhiteSpace(query))
                {
                    throw Invalid(DbErrors.Missing("query", "Send one SQL statement in query."));
                }
                if (Encoding.UTF8.GetByteCount(query) > limits.MaxStatementBytes)
                {
                    throw Invalid(DbErrors.TooLong(limits.MaxStatementBytes));
                }
                var parameters = Check(SqlParameters.FromRequest(Property(element, "params"), limits.MaxParameters));
                var growth = Math.Max(1, element.GetRawText().Length);
                var tenantQuery = new TenantQuery(query, parameters, token => storage.CheckAsync(caller, growth, services, token));
                var result = Check(await database.QueryAsync(tenantQuery, cancellationToken));
                return Node(new DbQueryResponse(true, result, Math.Round(result.Elapsed.TotalMilliseconds, 3), query, result.Truncated, result.Changes),
                    DbJsonContext.Default.DbQueryResponse);
            case "db.insert":
                var table = Check(DbRequests.Table(Text(with, "table")));
                var data = Check(DbRequests.Columns(Property(element, "data"), "data", allowEmpty: true, limits.MaxColumns));
                await QuotaAsync(caller, element, services, cancellationToken);
                var inserted = Check(await database.InsertAsync(table, data, cancellationToken));
                var row = inserted.Rows.Count > 0 ? new QueryRow(inserted, 0) : null;
                return Node(new DbInsertResponse(true, row, "Record inserted."), DbJsonContext.Default.DbInsertResponse);
            case "db.update":
                var updateTable = Check(DbRequests.Table(Text(with, "table")));
                var values = Check(DbRequests.Columns(Property(element, "data"), "data", allowEmpty: false, limits.MaxColumns));
                var where = Check(DbRequests.Columns(Property(element, "where"), "where", allowEmpty: false, limits.MaxColumns));
                await QuotaAsync(caller, element, services, cancellationToken);
                return Changed(Check(await database.UpdateAsync(updateTable, values, where, cancellationToken)), "updated");
            default:
                var deleteTable = Check(DbRequests.Table(Text(with, "table")));
                var deleteWhere = Check(DbRequests.Columns(Property(element, "where"), "where", allowEmpty: false, limits.MaxColumns));
                return Changed(Check(await database.DeleteAsync(deleteTable, deleteWhere, cancellationToken)), "deleted");
        }
    }

    async Task QuotaAsync(ApiCaller caller, JsonElement with, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (await storage.CheckAsync(caller, Math.Max(1, with.GetRawText().Length), services, cancellationToken) is { } full)
        {
            throw Invalid(full);
        }
    }

    static JsonNode? Changed(QueryResult result, string verb) => Node(
        new DbChangeResponse(true, result.Changes, result, $"{result.Changes} record{(result.Changes == 1 ? "" : "s")} {verb}.", result.Truncated),
        DbJsonContext.Default.DbChangeResponse);

    static JsonNode? Node<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(value, type));

    static string? Text(JsonObject with, string name) =>
        with[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    static JsonElement? Property(JsonElement with, string name) => with.TryGetProperty(name, out var value) ? value : null;

    static T Check<T>(Hatbox.Common.Outcome<T> outcome) => outcome.Succeeded ? outcome.Value! : throw Invalid(outcome.Error!);

    /// <summary>The /db API's own code, so a run shows the same <c>sql_error</c> or <c>table_not_found</c> as the endpoint would.</summary>
    static StepFailure Invalid(ApiError error) =>
        new(error.Code, error.Message, retryable: error.Status == StatusCodes.Status503ServiceUnavailable);

    /// <summary>DbRequests reads the query string when the body names no environment; a step has none.</summary>
    static class EmptyRequest
    {
        public static readonly HttpRequest Value = new DefaultHttpContext().Request;
    }
}
