using Hatbox.Common;
using Hatbox.Data;

namespace Hatbox.Features.Audit;

/// <summary>Adds an audit event to the unit of work, so it is saved with the change it describes or not at all.</summary>
internal static class AuditLog
{
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
}
