using System.Text.Json;
using Hatbox.Features.Db;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary><c>POST /db/nl-query</c> as the SDK's <c>DBProcessNlQueryParams</c> names it.</summary>
internal sealed record NlQueryRequest(string? Question, JsonElement? Context, string? Environment);

/// <summary>
/// The SDK's <c>DBProcessNlQueryResponse</c> (<c>success</c>, <c>data</c>, <c>sql</c>,
/// <c>message</c>), plus ours: <c>params</c> (the values bound to <c>sql</c>'s <c>$1</c>, <c>$2</c>…),
/// <c>engine</c> (<c>built-in</c> or <c>chat</c>), <c>executionTime</c> and <c>truncated</c> as for /db/query.
/// </summary>
internal sealed record NlQueryResponse(
    bool Success, QueryResult Data, string Sql, IReadOnlyList<JsonElement> Params, string Message, string Engine,
    double ExecutionTime, bool Truncated);
