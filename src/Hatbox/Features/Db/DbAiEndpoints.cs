using Hatbox.Features.Ai;
using Hatbox.Features.Ai.NlQuery;

namespace Hatbox.Features.Db;

/// <summary>The SDK's AI-over-data endpoints under <c>/db</c>; each lives in its feature folder.</summary>
internal static class DbAiEndpoints
{
    public static RouteGroupBuilder MapDbAi(this RouteGroupBuilder db)
    {
        db.MapAiSearch();
        db.MapNlQuery();
        return db;
    }
}
