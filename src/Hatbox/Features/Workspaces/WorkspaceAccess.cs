using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Workspaces;

/// <summary>
/// The one check in front of everything under <c>/v1/workspaces/{workspaceId}</c>: a non-member
/// gets the same 404 as for a workspace that does not exist, so ids of other tenants are never
/// confirmed; a member without the role gets 403.
/// </summary>
internal sealed class WorkspaceAccess(HatboxDbContext db)
{
    public static readonly ApiError NotFound = ApiError.NotFound(ErrorCodes.NotFound, "No such workspace.", "workspaceId");

    public static readonly ApiError ApiAccessDisabled = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission,
        ErrorCodes.ApiAccessDisabled, "API keys need the developer role or above and API access, which a workspace admin switches on.");

    /// <summary>The caller's membership in the workspace (named by id or slug), if their role is at least <paramref name="minimumRole"/>.</summary>
    public async Task<Outcome<Membership>> RequireAsync(string userId, string workspaceIdOrSlug, WorkspaceRole minimumRole,
        CancellationToken cancellationToken)
    {
        var membership = await (from w in db.Workspaces.AsNoTracking()
                                join m in db.Memberships.AsNoTracking() on w.Id equals m.WorkspaceId
                                where (w.Id == workspaceIdOrSlug || w.Slug == workspaceIdOrSlug) && m.UserId == userId
                                select m).FirstOrDefaultAsync(cancellationToken);
        if (membership is null)
        {
            return NotFound;
        }
        return membership.Role >= minimumRole
            ? membership
            : ApiError.Forbidden($"This needs the {Roles.Name(minimumRole)} role in this workspace.");
    }

    /// <summary>The API Tokens screen rule (seed S8): role ≥ developer and API access on, else <c>403 api_access_disabled</c>.</summary>
    public async Task<Outcome<Membership>> RequireApiAccessAsync(string userId, string workspaceIdOrSlug, CancellationToken cancellationToken)
    {
        var member = await RequireAsync(userId, workspaceIdOrSlug, WorkspaceRole.Member, cancellationToken);
        return !member.Succeeded || member.Value!.CanUseApi ? member : ApiAccessDisabled;
    }

    /// <summary>
    /// Who may revoke keys: admins any key, even without API access of their own; others need the
    /// API Tokens screen, and the key service then checks that the key is theirs.
    /// </summary>
    public async Task<Outcome<Membership>> RequireKeyRevokerAsync(string userId, string workspaceIdOrSlug, CancellationToken cancellationToken)
    {
        var member = await RequireAsync(userId, workspaceIdOrSlug, WorkspaceRole.Member, cancellationToken);
        return !member.Succeeded || member.Value!.Role == WorkspaceRole.Admin || member.Value.CanUseApi ? member : ApiAccessDisabled;
    }
}
