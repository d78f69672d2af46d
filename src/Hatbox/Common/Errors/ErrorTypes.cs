namespace Hatbox.Common.Errors;

/// <summary>The error families of DESIGN.md §4; each code belongs to one of them.</summary>
internal static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string RateLimit = "rate_limit_error";
    public const string Idempotency = "idempotency_error";
    public const string Api = "api_error";
}
