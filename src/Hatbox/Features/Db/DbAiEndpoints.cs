using Hatbox.Common.Errors;
using Hatbox.Features.Ai.NlQuery;

namespace Hatbox.Features.Db;

/// <summary>
/// The SDK's AI-over-data endpoints are routed so that callers get a clear 501
/// <c>not_implemented</c> (which the SDK does not retry) instead of a 404 that looks like a typo.
/// </summary>
internal static class DbAiEndpoints
{
    public static RouteGroupBuilder MapDbAi(this RouteGroupBuilder db)
    {
        db.MapNlQuery();
        db.MapPost("/semantic-search", NotImplemented).WithName("DbSemanticSearch");
        db.MapPost("/hybrid-search", NotImplemented).WithName("DbHybridSearch");
        db.MapPost("/find-similar", NotImplemented).WithName("DbFindSimilar");
        db.MapPost("/recommend", NotImplemented).WithName("DbRecommend");
        db.MapPost("/cluster", NotImplemented).WithName("DbCluster");
        db.MapPost("/detect-anomalies", NotImplemented).WithName("DbDetectAnomalies");
        return db;
    }

    static ApiError NotImplemented(HttpContext http) => DbErrors.NotImplemented().NoRetry(http);
}
