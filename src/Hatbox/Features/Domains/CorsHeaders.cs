namespace Hatbox.Features.Domains;

/// <summary>What browsers are told about our API: the methods and headers it takes and the headers they may read.</summary>
internal static class CorsHeaders
{
    public const string AllowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    public const string AllowHeaders = "Authorization, Content-Type, WorqHat-Version, Idempotency-Key, x-api-key, x-org-key";
    public const string ExposeHeaders =
        "Request-Id, RateLimit, RateLimit-Policy, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, WorqHat-Version";

    public static void Allow(HttpResponse response, string origin)
    {
        response.Headers.AccessControlAllowOrigin = origin;
        response.Headers.AccessControlExposeHeaders = ExposeHeaders;
        response.Headers.Vary = "Origin";
    }
}
