using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Versions;

/// <summary>Upgrades and rollbacks of an organization's pinned version (Stripe's model: forward, or back within 72 hours).</summary>
internal sealed class ApiVersionService(HatboxDbContext db, TimeProvider time)
{
    public static readonly TimeSpan RollbackWindow = TimeSpan.FromHours(72);

    static readonly ApiError OrganizationNotFound = ApiError.NotFound(ErrorCodes.NotFound, "No such organization.", "organizationId");

    public static VersionCatalogResponse Catalog(IReadOnlyList<OrganizationVersionResponse> organizations) => new(
        ApiVersions.Current.Name,
        ApiVersions.All.Select(v => new VersionResponse(v.Name, v.Summary, v.Changes, v == ApiVersions.Current)).ToList(),
        organizations);

    public async Task<List<OrganizationVersionResponse>> ForUserAsync(string userId, CancellationToken cancellationToken)
    {
        var organizations = await (from m in db.Memberships.AsNoTracking()
                                   join w in db.Workspaces.AsNoTracking() on m.WorkspaceId equals w.Id
                                   join o in db.Organizations.AsNoTracking() on w.OrganizationId equals o.Id
                                   where m.UserId == userId
                                   select o).Distinct().ToListAsync(cancellationToken);
        return organizations.OrderBy(o => o.Id, StringComparer.Ordinal).Select(ToResponse).ToList();
    }

    /// <summary>Moves the organization to <paramref name="version"/>; only forward unless <paramref name="allowDowngrade"/> (the operator CLI).</summary>
    public async Task<Outcome<OrganizationVersionResponse>> SetAsync(string organizationId, string? version, bool allowDowngrade,
        CancellationToken cancellationToken)
    {
        if (ApiVersions.Find(version) is not { } target)
        {
            return ApiVersions.Unknown("version");
        }
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == organizationId, cancellationToken);
        if (organization is null)
        {
            return OrganizationNotFound;
        }
        var pinned = organization.ApiVersion ?? ApiVersions.Current.Name;
        if (pinned == target.Name)
        {
            return ToResponse(organization);
        }
        if (!allowDowngrade && ApiVersions.IsBefore(target.Name, pinned))
        {
            return new ApiError(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, "version_downgrade_not_allowed",
                "Organizations move forward; to go back to the previous version, roll back within 72 hours of the upgrade.", "version");
        }
        Change(organization, target.Name, previous: pinned);
        await db.SaveChangesAsync(cancellationToken);
        return ToResponse(organization);
    }

    public async Task<Outcome<OrganizationVersionResponse>> RollBackAsync(string organizationId, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == organizationId, cancellationToken);
        if (organization is null)
        {
            return OrganizationNotFound;
        }
        if (organization.PreviousApiVersion is not { } previous || RollbackUntil(organization) < time.GetUtcNow())
        {
            return new ApiError(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, "rollback_not_available",
                "A rollback is possible only within 72 hours of an upgrade.");
        }
        Change(organization, previous, previous: null);
        await db.SaveChangesAsync(cancellationToken);
        return ToResponse(organization);
    }

    void Change(Organization organization, string version, string? previous)
    {
        organization.ApiVersion = version;
        organization.PreviousApiVersion = previous;
        organization.ApiVersionChangedAt = time.GetUtcNow();
        AccessChanges.Record(db, time, "organization.version_changed");
    }

    static DateTimeOffset? RollbackUntil(Organization organization) =>
        organization.PreviousApiVersion is null ? null : organization.ApiVersionChangedAt + RollbackWindow;

    static OrganizationVersionResponse ToResponse(Organization o) =>
        new(o.Id, o.ApiVersion, o.PreviousApiVersion, o.ApiVersionChangedAt, RollbackUntil(o));
}
