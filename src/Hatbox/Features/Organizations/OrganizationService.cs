using Hatbox.Common.Errors;
using Hatbox.Common;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Plans;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Organizations;

/// <summary>
/// An organization's plan: admins may pick the plans marked self-service, the operator (the CLI)
/// any plan. Every change is recorded in <c>plan_changes</c>, which billing reads.
/// </summary>
internal sealed class OrganizationService(HatboxDbContext db, PlanCatalog plans, TimeProvider time)
{
    public sealed record OrganizationResponse(string Id, string OrgKey, string Name, string Plan, string? ApiVersion, DateTimeOffset CreatedAt);

    public sealed record SetPlanRequest(string? Plan);

    public async Task<OrganizationResponse?> GetAsync(string organizationId, CancellationToken cancellationToken) =>
        await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId)
            .Select(o => new OrganizationResponse(o.Id, o.Id, o.Name, o.Plan, o.ApiVersion, o.CreatedAt)).FirstOrDefaultAsync(cancellationToken);

    public async Task<Outcome<OrganizationResponse>> SetPlanAsync(string organizationId, string? plan, Actor actor, CancellationToken cancellationToken)
    {
        var name = plan?.Trim().ToLowerInvariant();
        if (name is null || !plans.Exists(name))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid,
                $"Unknown plan. Plans: {string.Join(", ", SelectablePlans(actor))}.", "plan");
        }
        var target = plans.Get(name);
        if (!actor.IsCli && !target.SelfService)
        {
            return new ApiError(StatusCodes.Status403Forbidden, ErrorTypes.Permission, ErrorCodes.PlanNotSelfService,
                $"Only the operator can move an organization to this plan. Plans you can pick: {string.Join(", ", SelectablePlans(actor))}.",
                "plan");
        }
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == organizationId, cancellationToken);
        if (organization is null)
        {
            return OrganizationAccess.NotFound;
        }
        if (organization.Plan != name)
        {
            db.PlanChanges.Add(new PlanChange
            {
                Id = Ids.New("plc"),
                OrganizationId = organizationId,
                FromPlan = organization.Plan,
                ToPlan = name,
                ToPaidPlan = target.IsPaid,
                ChangedByUserId = actor.UserId,
                ChangedAt = time.GetUtcNow(),
            });
            organization.Plan = name;
            // Cached keys carry the plan; every node re-reads it.
            AccessChanges.Record(db, time, "organization.plan_changed");
            await db.SaveChangesAsync(cancellationToken);
        }
        return (await GetAsync(organizationId, cancellationToken))!;
    }

    /// <summary>The plan names this actor may choose, for messages (never the operator-only ones to a tenant).</summary>
    IEnumerable<string> SelectablePlans(Actor actor) =>
        plans.All.Where(p => actor.IsCli || p.Value.SelfService).Select(p => p.Key).Order(StringComparer.Ordinal);
}
