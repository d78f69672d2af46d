using Hatbox.Common;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Hatbox.Features.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Domains;

/// <summary>
/// <c>/v1/workspaces/{workspaceId}/domains</c>: the Allowed Domains list of the API Tokens screen,
/// for members who reach that screen (developer or above with API access).
/// </summary>
internal static class DomainsEndpoints
{
    public sealed record AddDomainRequest(string? Origin);

    public static RouteGroupBuilder MapDomains(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/workspaces/{workspaceId}/domains").WithTags("Allowed domains");

        group.MapGet("/", ListDomains).WithName("ListAllowedDomains");
        group.MapPost("/", AddDomain).WithName("AddAllowedDomain");
        group.MapDelete("/", RemoveDomain).WithName("RemoveAllowedDomain");
        return group;
    }

    static async Task<Results<Ok<Page<DomainService.DomainResponse>>, ApiError>> ListDomains(
        string workspaceId, SignedInUser me, WorkspaceAccess access, DomainService domains, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        return member.Succeeded
            ? TypedResults.Ok(new Page<DomainService.DomainResponse>(await domains.ListAsync(member.Value!.WorkspaceId, ct), null))
            : member.Error!;
    }

    static async Task<Results<Created<DomainService.DomainResponse>, ApiError>> AddDomain(
        string workspaceId, Body<AddDomainRequest> body, SignedInUser me, WorkspaceAccess access, DomainService domains, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        if (!member.Succeeded)
        {
            return member.Error!;
        }
        var added = await domains.AddAsync(member.Value!.WorkspaceId, body.Value.Origin, me.Actor, ct);
        return added.Succeeded ? TypedResults.Created($"/v1/workspaces/{workspaceId}/domains", added.Value!) : added.Error!;
    }

    /// <summary>The origin goes in the query (<c>?origin=</c>): it contains slashes, so it cannot be a path segment.</summary>
    static async Task<Results<NoContent, ApiError>> RemoveDomain(
        string workspaceId, string? origin, SignedInUser me, WorkspaceAccess access, DomainService domains, CancellationToken ct)
    {
        var member = await access.RequireApiAccessAsync(me.UserId, workspaceId, ct);
        if (!member.Succeeded)
        {
            return member.Error!;
        }
        return await domains.RemoveAsync(member.Value!.WorkspaceId, origin, me.Actor, ct) is { } error ? error : TypedResults.NoContent();
    }
}
