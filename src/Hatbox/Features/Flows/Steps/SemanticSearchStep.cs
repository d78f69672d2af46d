using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Ai;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Flows.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Flows.Steps;

/// <summary>
/// <c>semantic-search</c>: the AI feature's own <c>POST /db/semantic-search</c> handler on the run's
/// workspace, acting as the key's creator. <c>with</c> takes that endpoint's body (<c>query</c>,
/// <c>table</c> or <c>tables</c>, <c>filters</c>, <c>threshold</c>, <c>limit</c>, <c>environment</c>),
/// the output is its answer, and its refusals are the step's error codes.
/// </summary>
internal sealed class SemanticSearchStep(AiRequests ai)
{
    public async Task<JsonNode?> RunAsync(JsonObject with, ApiCaller caller, CancellationToken cancellationToken)
    {
        SemanticSearchRequest? request;
        try
        {
            request = with.Deserialize<SemanticSearchRequest>(BodyJson.Options);
        }
        catch (JsonException error)
        {
            throw new StepFailure(StepErrorCodes.InvalidArgument, $"semantic-search arguments do not fit at {error.Path}.", retryable: false);
        }
        var answer = await AiSearchEndpoints.SemanticSearch(new Body<SemanticSearchRequest>(request!), caller, ai, EmptyContext.Value, cancellationToken);
        return answer.Result switch
        {
            JsonHttpResult<SemanticSearchResponse> ok => JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(ok.Value!, AiJsonContext.Default.SemanticSearchResponse)),
            ApiError error => throw new StepFailure(error.Code, error.Message, retryable: error.Status == StatusCodes.Status503ServiceUnavailable),
            _ => throw new StepFailure("internal_error", "The search answered nothing.", retryable: false),
        };
    }

    /// <summary>The handler reads the environment from the query string when the body names none; a step has none.</summary>
    static class EmptyContext
    {
        public static readonly HttpContext Value = new DefaultHttpContext();
    }
}
