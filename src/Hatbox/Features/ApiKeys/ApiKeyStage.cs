using Hatbox.Common.Errors;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// The key stage and the role-and-API-access stage of the pipeline (DESIGN.md §5), run by
/// <see cref="Pipeline.KeyedStages"/>: every request stands alone on its own key, and a key works only
/// while its creator is a developer or above with API access. Refusals carry their own code.
/// Handlers behind it take an <see cref="ApiCaller"/> parameter.
/// </summary>
/// <remarks>
/// Not an ASP.NET authentication scheme plus an authorization policy: those build a claims principal,
/// ticket and authorization context per request, which cost more CPU than serving
/// <c>POST /authentication</c> itself (bench/README.md).
/// </remarks>
internal sealed class ApiKeyStage(ApiKeyVerifier verifier, KeyUsageRecorder usage)
{
    /// <summary>The verified caller, made the request's (<see cref="ApiCaller.Of"/>), or why there is none.</summary>
    /// <param name="context">The request.</param>
    /// <param name="now">The request's time, noted as the key's last use.</param>
    public async ValueTask<(ApiCaller? Caller, ApiError? Refusal)> AuthenticateAsync(HttpContext context, DateTimeOffset now)
    {
        var presented = ApiKeyHeaders.Read(context.Request);
        if (presented.Error is { } headerError)
        {
            return (null, headerError);
        }
        var verified = await verifier.VerifyAsync(presented.Key, presented.Source, context.RequestAborted);
        if (verified.Outcome != ApiKeyVerifier.Outcome.Valid)
        {
            return (null, verified.Outcome switch
            {
                ApiKeyVerifier.Outcome.Revoked => ApiKeyErrors.Revoked,
                ApiKeyVerifier.Outcome.Expired => ApiKeyErrors.Expired,
                _ => ApiKeyErrors.Invalid,
            });
        }
        var caller = verified.Caller!;
        if (presented.OrgKey is { } orgKey && !string.Equals(orgKey, caller.OrganizationId, StringComparison.Ordinal))
        {
            return (null, ApiKeyErrors.OrgKeyMismatch);
        }
        usage.Touch(caller.KeyId, now);
        if (!caller.CanUseApi)
        {
            return (null, ApiKeyErrors.AccessDisabled);
        }
        caller.AttachTo(context);
        return (caller, null);
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
