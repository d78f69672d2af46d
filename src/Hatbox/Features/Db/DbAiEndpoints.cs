using Hatbox.Common.Errors;
using Hatbox.Features.Ai;

namespace Hatbox.Features.Db;

/// <summary>
/// The SDK's AI-over-data endpoints are routed so that callers get a clear 501
/// <c>not_implemented</c> (which the SDK does not retry) instead of a 404 that looks like a typo.
/// </summary>
internal static class DbAiEndpoints
{
    public static RouteGroupBuilder MapDbAi(this RouteGroupBuilder db)
    {
        db.MapPost("/nl-query", NotImplemented).WithName("ProcessDbNlQuery");
        db.MapAiSearch();
        return db;
    }

    static ApiError NotImplemented(HttpContext http) => DbErrors.NotImplemented().NoRetry(http);
}
