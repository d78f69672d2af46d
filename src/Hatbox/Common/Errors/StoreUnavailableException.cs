namespace Hatbox.Common.Errors;

/// <summary>
/// A shared store (PostgreSQL for the platform or the tenants, the S3 bucket) did not answer: the
/// request is refused with <c>503 service_unavailable</c>, the store named in <c>param</c>, before
/// anything is acknowledged. The client retries after <see cref="RetryAfterSeconds"/>; the store's
/// health probe notices it back and the connections are made anew.
/// </summary>
internal sealed class StoreUnavailableException(string service, Exception inner)
    : Exception($"The {service} store did not answer.", inner)
{
    public const int RetryAfterSeconds = 2;

    /// <summary>One of <see cref="StoreNames"/>.</summary>
    public string Service { get; } = service;

    public static ApiError ErrorFor(string service, int retryAfterSeconds = RetryAfterSeconds) =>
        new(StatusCodes.Status503ServiceUnavailable, ErrorTypes.Api, ErrorCodes.ServiceUnavailable,
            $"The {service} store is unavailable; try again shortly.", service)
        { RetryAfterSeconds = retryAfterSeconds };
}

/// <summary>The stores' names, as <c>/health</c> lists them and a 503's <c>param</c> names them.</summary>
internal static class StoreNames
{
    public const string Platform = "platform";
    public const string Tenants = "tenants";
    public const string Redis = "redis";
    public const string Storage = "storage";
}
