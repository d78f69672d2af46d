using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Organizations;

/// <summary>
/// Organization-wide settings (API version, plan) belong to the admins of its workspaces. Someone
/// with no workspace in the organization gets 404, as for an organization that does not exist.
/// </summary>
internal sealed class OrganizationAccess(HatboxDbContext db)
{
    public static readonly ApiError NotFound = ApiError.NotFound(ErrorCodes.NotFound, "No such organization.", "organizationId");

    /// <summary>Null when <paramref name="userId"/> may manage the organization, else the error to answer.</summary>
    public async Task<ApiError?> RequireAdminAsync(string userId, string organizationId, CancellationToken cancellationToken)
    {
        var roles = await (from m in db.Memberships.AsNoTracking()
                           join w in db.Workspaces.AsNoTracking() on m.WorkspaceId equals w.Id
                           where m.UserId == userId && w.OrganizationId == organizationId
                           select m.Role).ToListAsync(cancellationToken);
        if (roles.Count == 0)
        {
            return NotFound;
        }
        return roles.Contains(WorkspaceRole.Admin) ? null : ApiError.Forbidden("Only an admin of this organization's workspaces can change it.");
    }
}
