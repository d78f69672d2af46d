using System.Text.Json;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Ai.Chat;
using Hatbox.Features.Db;
using Hatbox.Features.Usage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary><c>POST /db/nl-query</c>: a question in plain language, answered with rows and the SQL that ran.</summary>
internal static class NlQueryEndpoints
{
    public static RouteHandlerBuilder MapNlQuery(this RouteGroupBuilder db) =>
        db.MapPost("/nl-query", ProcessNlQuery).WithName("ProcessDbNlQuery").WithMetadata(new MeteringGroupMetadata("nl-query"));

    static async Task<Results<JsonHttpResult<NlQueryResponse>, ApiError>> ProcessNlQuery(
        Body<NlQueryRequest> body, ApiCaller caller, ITenantDatabaseProvider databases, NlQueryService nlQuery,
        IOptions<NlQueryOptions> options, IOptions<ChatModelOptions> chat, HttpContext http, CancellationToken ct)
    {
        var request = body.Value;
        var environment = DbRequests.Environment(request.Environment, http.Request);
        if (!environment.Succeeded)
        {
            return environment.Error!;
        }
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            return NlQueryErrors.Missing();
        }
        if (request.Question.Length > options.Value.MaxQuestionLength)
        {
            return NlQueryErrors.TooLong(options.Value.MaxQuestionLength);
        }
        if (request.Context is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            return DbErrors.Invalid("context", "context must be an object.");
        }
        if (request.Context is { ValueKind: JsonValueKind.Object } context && context.TryGetProperty("table", out var table)
            && table.ValueKind != JsonValueKind.String)
        {
            return DbErrors.Invalid("context.table", "context.table must be a table name.");
        }
        var answer = await nlQuery.AnswerAsync(caller.WorkspaceId, caller.OrganizationId, databases.Get(caller.WorkspaceId, environment.Value), environment.Value,
            request.Question.Trim(), request.Context, ct);
        if (!answer.Succeeded)
        {
            if (answer.Error!.Code == ErrorCodes.AiUnavailable)
            {
                http.Response.Headers.RetryAfter = chat.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return answer.Error.NoRetry(http);
        }
        var (result, sql, engine) = answer.Value!;
        var rows = result.Rows.Count;
        return TypedResults.Json(
            new NlQueryResponse(true, result, sql.Sql, sql.Parameters, $"{rows} row{(rows == 1 ? "" : "s")} from the {engine} engine.", engine,
                Math.Round(result.Elapsed.TotalMilliseconds, 3), result.Truncated),
            NlQueryJsonContext.Default.NlQueryResponse);
    }
}
