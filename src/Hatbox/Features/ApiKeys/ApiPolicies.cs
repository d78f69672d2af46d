using Microsoft.AspNetCore.Authorization;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// The role and API-access stage: a key works only while its creator is a developer or above with
/// API access on. Public API groups require <see cref="ApiKey"/>.
/// </summary>
internal static class ApiPolicies
{
    public const string ApiKey = "ApiKey";

    public static AuthorizationPolicy Build() => new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser()
        .RequireAssertion(context => context.Resource is HttpContext http && http.Features.Get<ApiCaller>()?.CanUseApi == true)
        .Build();
}
