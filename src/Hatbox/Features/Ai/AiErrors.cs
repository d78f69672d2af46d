using Hatbox.Common.Errors;

namespace Hatbox.Features.Ai;

/// <summary>The refusals of the AI-over-data endpoints (issue 18); the /db ones come from <c>DbErrors</c>.</summary>
internal static class AiErrors
{
    public static ApiError NoTextColumns(string table) =>
        new(StatusCodes.Status422UnprocessableEntity, ErrorTypes.InvalidRequest, ErrorCodes.NoTextColumns,
            $"Table '{table}' has no text columns to search; choose columns for it or add a text column.", "table");

    public static ApiError Invalid(string param, string message) =>
        ApiError.BadRequest(ErrorCodes.ParameterInvalid, message, param);

    public static ApiError Missing(string param, string message) =>
        ApiError.BadRequest(ErrorCodes.ParameterMissing, message, param);

    public static ApiError RecordNotFound(string param) =>
        ApiError.NotFound(ErrorCodes.RecordNotFound, "No record with that id in this table.", param);

    /// <summary>422: the analysis compares every row with the others; past the cap it would take too long.</summary>
    public static ApiError TooManyRows(string operation, int cap) =>
        new(StatusCodes.Status422UnprocessableEntity, ErrorTypes.InvalidRequest, ErrorCodes.TooManyRows,
            $"{operation} works on tables of at most {cap} rows (Ai:{(operation == "Clustering" ? "MaxClusterRows" : "MaxAnomalyRows")}).", "table");

    public static ApiError EmbeddingUnavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, ErrorTypes.Api, ErrorCodes.EmbeddingUnavailable,
            "The embedding model is unavailable; try again shortly.");
}
