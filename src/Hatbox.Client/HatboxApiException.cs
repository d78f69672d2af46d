using System.Net;

namespace Hatbox.Client;

/// <summary>A non-2xx answer, with the fields of the server's error envelope.</summary>
public sealed class HatboxApiException : Exception
{
    public HatboxApiException(HttpStatusCode status, string type, string code, string message, string? param, string? requestId)
        : base(message)
    {
        Status = status;
        Type = type;
        Code = code;
        Param = param;
        RequestId = requestId;
    }

    public HatboxApiException()
        : this(HttpStatusCode.InternalServerError, "api_error", "internal_error", "The server answered with an error.", null, null)
    {
    }

    public HatboxApiException(string message)
        : this(HttpStatusCode.InternalServerError, "api_error", "internal_error", message, null, null)
    {
    }

    public HatboxApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Type = "api_error";
        Code = "internal_error";
    }

    public HttpStatusCode Status { get; }

    /// <summary><c>invalid_request_error</c>, <c>authentication_error</c>, <c>permission_error</c>, <c>rate_limit_error</c>, <c>idempotency_error</c> or <c>api_error</c>.</summary>
    public string Type { get; }

    /// <summary>The stable snake_case code to switch on, e.g. <c>table_not_found</c>.</summary>
    public string Code { get; }

    /// <summary>The request field at fault, when there is one.</summary>
    public string? Param { get; }

    /// <summary>The server's <c>req_…</c> id, to quote to support.</summary>
    public string? RequestId { get; }
}
