using Hatbox.Common.Errors;
using Hatbox.Common;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Plans;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Organizations;

/// <summary>An organization's plan: the admins' and the operator's to change.</summary>
internal sealed class OrganizationService(HatboxDbContext db, PlanCatalog plans, TimeProvider time)
{
    public sealed record OrganizationResponse(string Id, string OrgKey, string Name, string Plan, string? ApiVersion, DateTimeOffset CreatedAt);

    public sealed record SetPlanRequest(string? Plan);

    public async Task<OrganizationResponse?> GetAsync(string organizationId, CancellationToken cancellationToken) =>
        await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId)
            .Select(o => new OrganizationResponse(o.Id, o.Id, o.Name, o.Plan, o.ApiVersion, o.CreatedAt)).FirstOrDefaultAsync(cancellationToken);

    public async Task<Outcome<OrganizationResponse>> SetPlanAsync(string organizationId, string? plan, CancellationToken cancellationToken)
    {
        var name = plan?.Trim().ToLowerInvariant();
        if (name is null || !plans.Exists(name))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid,
                $"Unknown plan. Plans: {string.Join(", ", plans.All.Keys.Order(StringComparer.Ordinal))}.", "plan");
        }
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == organizationId, cancellationToken);
        if (organization is null)
        {
            return OrganizationAccess.NotFound;
        }
        if (organization.Plan != name)
        {
            organization.Plan = name;
            // Cached keys carry the plan; every node re-reads it.
            AccessChanges.Record(db, time, "organization.plan_changed");
            await db.SaveChangesAsync(cancellationToken);
        }
        return (await GetAsync(organizationId, cancellationToken))!;
    }
}
