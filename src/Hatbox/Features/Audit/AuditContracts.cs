namespace Hatbox.Features.Audit;

/// <summary>One audit event. <see cref="ActorUserId"/> is null for changes made with <c>hatbox admin</c>.</summary>
internal sealed record AuditEventResponse(
    string Id, string Action, string? ActorUserId, string TargetId, string? Detail, DateTimeOffset CreatedAt);
