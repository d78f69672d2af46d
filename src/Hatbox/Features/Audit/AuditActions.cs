namespace Hatbox.Features.Audit;

internal static class AuditActions
{
    public const string KeyCreated = "api_key.created";
    public const string KeyRevoked = "api_key.revoked";
    public const string MemberAdded = "member.added";
    public const string MemberRemoved = "member.removed";
    public const string RoleChanged = "member.role_changed";
    public const string ApiAccessChanged = "member.api_access_changed";
    public const string InvitationSent = "invitation.sent";
    public const string InvitationAccepted = "invitation.accepted";
    /// <summary>A key of another workspace asked for one of this workspace's objects and got 404.</summary>
    public const string CrossTenantDenied = "access.cross_tenant_denied";
}
