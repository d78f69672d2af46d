using Hatbox.Common.Errors;
using Hatbox.Features.Plans;

namespace Hatbox.Features.Db;

/// <summary>
/// The /db API's refusals. Messages may quote the database about the caller's own statement,
/// never about ours: no file paths, no SQL the platform wrote.
/// </summary>
internal static class DbErrors
{
    public static ApiError TableNotFound(string table, DbEnvironment environment, string param = "table") =>
        ApiError.NotFound(ErrorCodes.TableNotFound, $"No table named '{table}' in {environment.Name()}.", param);

    public static ApiError ColumnNotFound(string column, string param) =>
        ApiError.BadRequest(ErrorCodes.ColumnNotFound, $"No column named '{column}' in this table.", param);

    public static ApiError Sql(string databaseMessage) =>
        ApiError.BadRequest(ErrorCodes.SqlError, $"The statement failed: {databaseMessage}", "query");

    public static ApiError Constraint(string databaseMessage) =>
        new(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, ErrorCodes.ConstraintViolation,
            $"The change breaks a constraint: {databaseMessage}");

    /// <summary>422: a well-formed statement that cannot finish within the limit; retrying will not help.</summary>
    public static ApiError Timeout(TimeSpan limit) =>
        new(StatusCodes.Status422UnprocessableEntity, ErrorTypes.InvalidRequest, ErrorCodes.QueryTimeout,
            $"The statement ran longer than {limit.TotalSeconds:0.###} s and was stopped.", "query");

    public static ApiError NotAllowed(string what) =>
        ApiError.BadRequest(ErrorCodes.QueryNotAllowed, $"{what} is not allowed through the database API.", "query");

    public static ApiError TooLong(int maxBytes) =>
        ApiError.BadRequest(ErrorCodes.QueryTooLong, $"A statement may be at most {maxBytes} bytes long.", "query");

    public static ApiError TooComplex(long maxTokens) =>
        ApiError.BadRequest(ErrorCodes.QueryTooComplex,
            $"Copying the statement's CTEs into every place that names them would add more than {maxTokens} tokens; name each CTE fewer times.",
            "query");

    /// <summary>422: SQLite ran out of the memory the server allows it; smaller values or fewer columns will fit.</summary>
    public static ApiError MemoryExceeded() =>
        new(StatusCodes.Status422UnprocessableEntity, ErrorTypes.InvalidRequest, ErrorCodes.QueryMemoryExceeded,
            "The statement needed more memory than the server allows and was stopped.", "query");

    public static ApiError TooManyParameters(int max) =>
        ApiError.BadRequest(ErrorCodes.TooManyParameters, $"A statement may use at most {max} parameters.", "params");

    public static ApiError Busy() =>
        new(StatusCodes.Status503ServiceUnavailable, ErrorTypes.Api, ErrorCodes.DatabaseBusy,
            "The database is busy with other statements; try again shortly.");

    public static ApiError StorageFull() =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorTypes.InvalidRequest, StorageQuota.ExceededCode,
            "This database has reached its size limit.");

    public static ApiError Missing(string param, string message) =>
        ApiError.BadRequest(ErrorCodes.ParameterMissing, message, param);

    public static ApiError Invalid(string param, string message) =>
        ApiError.BadRequest(ErrorCodes.ParameterInvalid, message, param);

    public static ApiError InvalidEnvironment() =>
        Invalid(DbEnvironments.ParameterName, "environment must be development, staging or production.");

    public static ApiError Bulk(string param) =>
        ApiError.BadRequest(ErrorCodes.BulkNotSupported, "One record per request: send an object, not an array.", param);

    /// <summary>
    /// The official SDKs retry 409, 5xx and timeouts on their own; for these answers a retry can only
    /// fail the same way, so say so with the SDK's <c>x-should-retry</c> header.
    /// </summary>
    public static ApiError NoRetry(this ApiError error, HttpContext http)
    {
        if (error.Status is StatusCodes.Status409Conflict or StatusCodes.Status422UnprocessableEntity)
        {
            http.Response.Headers["x-should-retry"] = "false";
        }
        return error;
    }
}
