using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Organizations;

/// <summary><c>/v1/organizations/{organizationId}</c>: the organization and its plan, for its admins.</summary>
internal static class OrganizationsEndpoints
{
    public static RouteGroupBuilder MapOrganizations(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/organizations/{organizationId}").WithTags("Organizations");

        group.MapGet("/", GetOrganization).WithName("GetOrganization");
        group.MapPut("/plan", SetPlan).WithName("SetOrganizationPlan");
        return group;
    }

    static async Task<Results<Ok<OrganizationService.OrganizationResponse>, ApiError>> GetOrganization(
        string organizationId, SignedInUser me, OrganizationAccess access, OrganizationService organizations, CancellationToken ct)
    {
        if (await access.RequireAdminAsync(me.UserId, organizationId, ct) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok((await organizations.GetAsync(organizationId, ct))!);
    }

    static async Task<Results<Ok<OrganizationService.OrganizationResponse>, ApiError>> SetPlan(
        string organizationId, Body<OrganizationService.SetPlanRequest> body, SignedInUser me, OrganizationAccess access,
        OrganizationService organizations, CancellationToken ct)
    {
        if (await access.RequireAdminAsync(me.UserId, organizationId, ct) is { } refused)
        {
            return refused;
        }
        var result = await organizations.SetPlanAsync(organizationId, body.Value.Plan, me.Actor, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!) : result.Error!;
    }
}
