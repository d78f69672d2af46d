using System.Threading.RateLimiting;
using Hatbox.Common;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;

namespace Hatbox.Features.Audit;

/// <summary>
/// Records a key of one workspace aiming at another workspace's object (a file id, say) in the
/// audit log of the workspace that owns the object, so its admins see who probes them. The caller
/// still gets the plain 404. Rate-limited per target workspace and in total, so a flood of probes
/// cannot flood the log: past the limit, denials are still refused but no longer written.
/// </summary>
internal sealed class CrossTenantDenials(TimeProvider time) : IDisposable
{
    public const int PerWorkspacePerMinute = 10;
    public const int TotalPerMinute = 200;

    readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<string, string>(workspace => RateLimitPartition.GetFixedWindowLimiter(workspace,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = PerWorkspacePerMinute, Window = TimeSpan.FromMinutes(1) })),
        PartitionedRateLimiter.Create<string, string>(_ => RateLimitPartition.GetFixedWindowLimiter("all",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = TotalPerMinute, Window = TimeSpan.FromMinutes(1) })));

    /// <summary>Writes the denial to <paramref name="ownerWorkspaceId"/>'s log, unless the limit says enough for now.</summary>
    public async Task RecordAsync(HatboxDbContext db, string ownerWorkspaceId, ApiCaller caller, string objectId,
        CancellationToken cancellationToken)
    {
        using var lease = _limiter.AttemptAcquire(ownerWorkspaceId);
        if (!lease.IsAcquired)
        {
            return;
        }
        AuditLog.Record(db, time, ownerWorkspaceId, new Actor(caller.CreatorUserId), AuditActions.CrossTenantDenied, objectId,
            $"key {caller.KeyId} of workspace {caller.WorkspaceId}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public void Dispose() => _limiter.Dispose();
}
