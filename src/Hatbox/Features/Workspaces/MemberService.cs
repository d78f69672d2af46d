using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Workspaces;

/// <summary>
/// Roles and API access, which only admins change. Every change is audited and marks an access
/// change, so the member's keys follow their new rights on every node within a second.
/// </summary>
internal sealed class MemberService(HatboxDbContext db, TimeProvider time)
{
    static readonly ApiError MemberNotFound = ApiError.NotFound(ErrorCodes.NotFound, "No such member in this workspace.", "userId");
    static readonly ApiError LastAdmin = new(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, ErrorCodes.LastAdmin,
        "A workspace keeps at least one admin. Make someone else admin first.");

    public async Task<List<MemberResponse>> ListAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var rows = await (from m in db.Memberships.AsNoTracking()
                          join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                          where m.WorkspaceId == workspaceId
                          orderby u.Email
                          select new { m, u }).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new MemberResponse(r.u.Id, r.u.Email, r.u.Name, Roles.Name(r.m.Role), r.m.ApiAccess, r.m.CreatedAt));
    }

    public async Task<Outcome<MemberResponse>> UpdateAsync(string workspaceId, string userId, UpdateMemberRequest request, Actor actor,
        CancellationToken cancellationToken)
    {
        WorkspaceRole? newRole = null;
        if (request.Role is not null)
        {
            if (!Roles.TryParse(request.Role, out var parsed))
            {
                return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "role is one of admin, leader, developer, member.", "role");
            }
            newRole = parsed;
        }
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return MemberNotFound;
        }
        if (newRole is { } role && role != membership.Role)
        {
            if (membership.Role == WorkspaceRole.Admin && await IsLastAdminAsync(workspaceId, cancellationToken))
            {
                return LastAdmin;
            }
            AuditLog.Record(db, time, workspaceId, actor, AuditActions.RoleChanged, userId, $"{Roles.Name(membership.Role)} -> {Roles.Name(role)}");
            membership.Role = role;
        }
        if (request.ApiAccess is { } access && access != membership.ApiAccess)
        {
            AuditLog.Record(db, time, workspaceId, actor, AuditActions.ApiAccessChanged, userId, access ? "on" : "off");
            membership.ApiAccess = access;
        }
        if (db.ChangeTracker.HasChanges())
        {
            AccessChanges.Record(db, time, "member.updated");
            await db.SaveChangesAsync(cancellationToken);
        }
        return (await ListAsync(workspaceId, cancellationToken)).First(m => m.UserId == userId);
    }

    public async Task<ApiError?> RemoveAsync(string workspaceId, string userId, Actor actor, CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return MemberNotFound;
        }
        if (membership.Role == WorkspaceRole.Admin && await IsLastAdminAsync(workspaceId, cancellationToken))
        {
            return LastAdmin;
        }
        db.Memberships.Remove(membership);
        AuditLog.Record(db, time, workspaceId, actor, AuditActions.MemberRemoved, userId);
        AccessChanges.Record(db, time, AuditActions.MemberRemoved);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>The member's role, or null when they are not in the workspace.</summary>
    public Task<WorkspaceRole?> RoleOfAsync(string workspaceId, string userId, CancellationToken cancellationToken) =>
        db.Memberships.Where(m => m.WorkspaceId == workspaceId && m.UserId == userId)
            .Select(m => (WorkspaceRole?)m.Role).FirstOrDefaultAsync(cancellationToken);

    async Task<bool> IsLastAdminAsync(string workspaceId, CancellationToken cancellationToken) =>
        await db.Memberships.CountAsync(m => m.WorkspaceId == workspaceId && m.Role == WorkspaceRole.Admin, cancellationToken) <= 1;
}
