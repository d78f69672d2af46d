using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Audit;

/// <summary>Writes audit events with the change they describe, and reads them back newest first.</summary>
internal static class AuditLog
{
    /// <summary>Adds an audit event to the unit of work, so it is saved with the change it describes or not at all.</summary>
    public static void Record(HatboxDbContext db, TimeProvider time, string workspaceId, Actor actor, string action,
        string targetId, string? detail = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            Id = Ids.New("evt"),
            WorkspaceId = workspaceId,
            ActorUserId = actor.UserId,
            Action = action,
            TargetId = targetId,
            Detail = detail,
            CreatedAt = time.GetUtcNow(),
        });

    /// <summary>
    /// One page, newest first. The cursor is the id of the last event of the previous page; ties in
    /// time are broken by id so that no event is skipped or repeated between pages.
    /// </summary>
    public static async Task<Outcome<Page<AuditEventResponse>>> ListAsync(HatboxDbContext db, string workspaceId, int limit,
        string? cursor, CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsNoTracking().Where(e => e.WorkspaceId == workspaceId);
        if (cursor is not null)
        {
            var after = await events.Where(e => e.Id == cursor).Select(e => new { e.CreatedAt, e.Id }).FirstOrDefaultAsync(cancellationToken);
            if (after is null)
            {
                return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "cursor is not one this list gave out.", "cursor");
            }
            events = events.Where(e => e.CreatedAt < after.CreatedAt
                || (e.CreatedAt == after.CreatedAt && string.Compare(e.Id, after.Id) < 0));
        }
        var rows = await events.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Take(limit + 1)
            .Select(e => new AuditEventResponse(e.Id, e.Action, e.ActorUserId, e.TargetId, e.Detail, e.CreatedAt))
            .ToListAsync(cancellationToken);
        return rows.Count > limit
            ? new Page<AuditEventResponse>(rows.GetRange(0, limit), rows[limit - 1].Id)
            : new Page<AuditEventResponse>(rows, NextCursor: null);
    }
}
