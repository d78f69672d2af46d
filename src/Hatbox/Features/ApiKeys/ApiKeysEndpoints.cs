using Hatbox.Common;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// <c>/v1/workspaces/{workspaceId}/keys</c>: the API Tokens screen (seed S7–S9). Seeing and making
/// keys needs role ≥ developer with API access; admins may revoke any key, others only their own.
/// </summary>
internal static class ApiKeysEndpoints
{
    public static RouteGroupBuilder MapApiKeys(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/workspaces/{workspaceId}/keys").WithTags("API keys");

        group.MapGet("/", ListApiKeys).WithName("ListApiKeys");
        group.MapPost("/", CreateApiKey).WithName("CreateApiKey");
        group.MapGet("/{keyId}", GetApiKey).WithName("GetApiKey");
        group.MapPost("/{keyId}/revocations", RevokeApiKey).WithName("RevokeApiKey");
        return group;
    }

    static async Task<Results<Ok<Page<ApiKeyResponse>>, ApiError>> ListApiKeys(
        string workspaceId, SignedInUser me, WorkspaceAccess access, ApiKeyService keys, CancellationToken ct)
    {
        var caller = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        return TypedResults.Ok(new Page<ApiKeyResponse>(await keys.ListAsync(caller.Value!.WorkspaceId, ct), NextCursor: null));
    }

    /// <summary>The only answer that ever holds the secret; the key acts as its creator, the caller.</summary>
    static async Task<Results<Created<CreatedApiKeyResponse>, ApiError>> CreateApiKey(
        string workspaceId, Body<CreateApiKeyRequest> body, SignedInUser me, WorkspaceAccess access, ApiKeyService keys,
        HttpContext http, CancellationToken ct)
    {
        var caller = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        var created = await keys.CreateAsync(caller.Value!.WorkspaceId, me.UserId, me.Actor, body.Value, ct);
        if (!created.Succeeded)
        {
            return created.Error!;
        }
        // A secret must not linger in any cache between here and the browser.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/workspaces/{caller.Value.WorkspaceId}/keys/{created.Value!.KeyId}", created.Value);
    }

    static async Task<Results<Ok<ApiKeyResponse>, ApiError>> GetApiKey(
        string workspaceId, string keyId, SignedInUser me, WorkspaceAccess access, ApiKeyService keys, CancellationToken ct)
    {
        var caller = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        return await keys.GetAsync(caller.Value!.WorkspaceId, keyId, ct) is { } key
            ? TypedResults.Ok(key)
            : ApiError.NotFound(ErrorCodes.NotFound, "No such API key in this workspace.", "keyId");
    }

    static async Task<Results<Ok<ApiKeyResponse>, ApiError>> RevokeApiKey(
        string workspaceId, string keyId, SignedInUser me, WorkspaceAccess access, ApiKeyService keys, CancellationToken ct)
    {
        var caller = await access.RequireKeyRevokerAsync(me.UserId, workspaceId, ct);
        if (!caller.Succeeded)
        {
            return caller.Error!;
        }
        var revoked = await keys.RevokeAsync(caller.Value!.WorkspaceId, keyId, me.Actor, ct);
        return revoked.Succeeded ? TypedResults.Ok(revoked.Value!) : revoked.Error!;
    }
}
