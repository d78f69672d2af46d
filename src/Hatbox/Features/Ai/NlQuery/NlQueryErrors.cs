using Hatbox.Common.Errors;

namespace Hatbox.Features.Ai.NlQuery;

/// <summary>nl-query's refusals; all 422s carry <c>x-should-retry: false</c> through <c>NoRetry</c>.</summary>
internal static class NlQueryErrors
{
    /// <summary>What the built-in engine understands, for every refusal's message.</summary>
    public const string Shapes =
        "The built-in engine answers questions over one table such as: 'how many products are in kitchen', "
        + "'list products with price over 20 sorted by price', 'top 3 products by stock', 'which product has the highest price', "
        + "'average price per category', 'total stock of garden products', 'what are the distinct categories'.";

    public const string ConfigureChat =
        " For any other question, configure a chat model: Ai:Chat:Provider (openai or ollama), Ai:Chat:Endpoint and Ai:Chat:Model "
        + "(environment HATBOX__Ai__Chat__Provider, …).";

    public static ApiError NotUnderstood(string reason, bool chatConfigured) =>
        new(StatusCodes.Status422UnprocessableEntity, ErrorTypes.InvalidRequest, ErrorCodes.QuestionNotUnderstood,
            $"{reason} {Shapes}{(chatConfigured ? "" : ConfigureChat)}", "question");

    public static ApiError ModelDidNotAnswerSql() =>
        new(StatusCodes.Status422UnprocessableEntity, ErrorTypes.InvalidRequest, ErrorCodes.QuestionNotUnderstood,
            "The chat model did not answer with a query for this question; rephrase it.", "question");

    public static ApiError Unsafe(string reason) =>
        new(StatusCodes.Status422UnprocessableEntity, ErrorTypes.InvalidRequest, ErrorCodes.UnsafeGeneratedSql,
            $"The generated SQL was refused and nothing ran: {reason}", "question");

    public static ApiError AiUnavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, ErrorTypes.Api, ErrorCodes.AiUnavailable,
            "The chat model did not answer in time; try again shortly.");

    public static ApiError TooLong(int max) =>
        ApiError.BadRequest(ErrorCodes.QuestionTooLong, $"A question may be at most {max} characters long.", "question");

    public static ApiError Missing() =>
        ApiError.BadRequest(ErrorCodes.ParameterMissing, "Ask a question in question.", "question");
}
