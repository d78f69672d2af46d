using Hatbox.Common.Json;
using Hatbox.Features.Versions;
using Hatbox.Features.Workspaces;
using Hatbox.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.ApiKeys;

/// <summary><c>POST /authentication</c> (seed S13): checks the key and says whom it stands for.</summary>
internal static class AuthenticationEndpoints
{
    public static IEndpointRouteBuilder MapAuthentication(this IEndpointRouteBuilder app)
    {
        app.MapPost("/authentication", CheckApiKey)
            .WithName("CheckApiKey")
            .WithTags("Authentication")
            .RequireApiKey();
        // Versions before 2025-10-28 also took GET.
        app.MapGet("/authentication", CheckApiKey)
            .WithName("CheckApiKeyWithGet")
            .WithTags("Authentication")
            .RequireApiKey()
            .RemovedIn("2025-10-28");
        return app;
    }

    // Serialized with the source-generated contract, as /health is, rather than through Ok<T>, which
    // looks up the JSON options and makes a JSON writer per answer. Same body, same 200.
    static JsonHttpResult<AuthenticationResponse> CheckApiKey(ApiCaller caller) =>
         TypedResults.Json(new AuthenticationResponse(
            Success: true,
            Status: "authenticated",
            OrganizationId: caller.OrganizationId,
            OrgKey: caller.OrganizationId,
            WorkspaceId: caller.WorkspaceId,
            Workspace: caller.WorkspaceSlug,
            KeyId: caller.KeyId,
            Role: Roles.Name(caller.CreatorRole!.Value),
            Plan: caller.Plan,
            ApiVersion: caller.PinnedApiVersion ?? ServerIdentity.CurrentApiVersion),
            HatboxJsonContext.Default.AuthenticationResponse);
}
