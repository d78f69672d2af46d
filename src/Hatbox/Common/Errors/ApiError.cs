using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Hatbox.Common.Errors;

/// <summary>
/// A non-2xx answer in the one envelope of DESIGN.md §4. Handlers return it as a result;
/// the pipeline writes it for the framework's own failures too.
/// </summary>
internal sealed record ApiError(int Status, string Type, string Code, string Message, string? Param = null)
    : IResult, IEndpointMetadataProvider
{
    /// <summary>For a 429 or 503: the seconds to send in <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    public Task ExecuteAsync(HttpContext httpContext) => ApiErrorWriter.WriteAsync(httpContext, this);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(400, typeof(ErrorEnvelope), ["application/json"]));

    public static ApiError BadRequest(string code, string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, ErrorTypes.InvalidRequest, code, message, param);

    public static ApiError NotFound(string code, string message, string? param = null) =>
        new(StatusCodes.Status404NotFound, ErrorTypes.InvalidRequest, code, message, param);

    /// <summary>A signed-in caller whose role does not allow this; callers who may not even see the object get <see cref="NotFound"/>.</summary>
    public static ApiError Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, ErrorTypes.Permission, ErrorCodes.Forbidden, message);

    public static ApiError Internal() =>
        new(StatusCodes.Status500InternalServerError, ErrorTypes.Api, ErrorCodes.InternalError,
            "Something went wrong on our side. Quote the request id if you contact support.");

    /// <summary>The envelope for a status the framework produced without a body.</summary>
    public static ApiError ForStatus(int status) => status switch
    {
        404 => NotFound(ErrorCodes.RouteNotFound, "No such endpoint. Check the method and path."),
        405 => new(status, ErrorTypes.InvalidRequest, ErrorCodes.MethodNotAllowed, "This endpoint does not accept that HTTP method."),
        413 => TooLarge(),
        415 => new(status, ErrorTypes.InvalidRequest, ErrorCodes.UnsupportedMediaType,
            "Send application/json, application/x-www-form-urlencoded or multipart/form-data."),
        >= 500 => status == 503
            ? new(status, ErrorTypes.Api, ErrorCodes.ServiceUnavailable, "The service is unavailable; try again shortly.")
            : Internal() with { Status = status },
        _ => new(status, ErrorTypes.InvalidRequest, ErrorCodes.InvalidRequest, "The request could not be served."),
    };

    public static ApiError TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorTypes.InvalidRequest, ErrorCodes.PayloadTooLarge,
            "The request body is larger than this endpoint accepts.");
}
