using Hatbox.Common.Errors;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// The key stage and the role-and-API-access stage of the pipeline (DESIGN.md §5), for endpoints
/// marked with <see cref="ApiKeyStageExtensions.RequireApiKey{TBuilder}"/>: every request stands
/// alone on its own key, and a key works only while its creator is a developer or above with API
/// access. Refusals carry their own code. Handlers take an <see cref="ApiCaller"/> parameter.
/// </summary>
/// <remarks>
/// A middleware rather than an ASP.NET authentication scheme plus an authorization policy: those
/// build a claims principal, ticket and authorization context per request, which cost more CPU than
/// serving <c>POST /authentication</c> itself (bench/README.md).
/// </remarks>
internal sealed class ApiKeyStage(RequestDelegate next, ApiKeyVerifier verifier, KeyUsageRecorder usage)
{
    // Endpoints that take no key (health, management) go straight on, without an async frame of their own.
    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RequiresApiKey>() is null ? next(context) : AuthenticateThenNextAsync(context);

    async Task AuthenticateThenNextAsync(HttpContext context)
    {
        if (await AuthenticateAsync(context) is { } refusal)
        {
            await ApiErrorWriter.WriteAsync(context, refusal);
            return;
        }
        await next(context);
    }

    async ValueTask<ApiError?> AuthenticateAsync(HttpContext context)
    {
        var presented = ApiKeyHeaders.Read(context.Request);
        if (presented.Error is { } headerError)
        {
            return headerError;
        }
        var verified = await verifier.VerifyAsync(presented.Key, presented.Source, context.RequestAborted);
        if (verified.Outcome != ApiKeyVerifier.Outcome.Valid)
        {
            return verified.Outcome switch
            {
                ApiKeyVerifier.Outcome.Revoked => ApiKeyErrors.Revoked,
                ApiKeyVerifier.Outcome.Expired => ApiKeyErrors.Expired,
                _ => ApiKeyErrors.Invalid,
            };
        }
        var caller = verified.Caller!;
        if (presented.OrgKey is { } orgKey && !string.Equals(orgKey, caller.OrganizationId, StringComparison.Ordinal))
        {
            return ApiKeyErrors.OrgKeyMismatch;
        }
        usage.Touch(caller.KeyId);
        if (!caller.CanUseApi)
        {
            return ApiKeyErrors.AccessDisabled;
        }
        caller.AttachTo(context);
        return null;
    }
}

/// <summary>Endpoint metadata: this endpoint needs an API key.</summary>
internal sealed class RequiresApiKey
{
    public static readonly RequiresApiKey Instance = new();
}

internal static class ApiKeyStageExtensions
{
    /// <summary>Puts the endpoint or group behind an API key.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RequiresApiKey.Instance);
}
