using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Workspaces;

/// <summary>
/// Checks <see cref="AccountCapsOptions"/> by counting rows in the platform database, so the caps
/// hold across restarts and across nodes. The operator's CLI is never capped.
/// </summary>
internal sealed class AccountCaps(HatboxDbContext db, PlanCatalog plans, IOptionsMonitor<AccountCapsOptions> options, TimeProvider time)
{
    static readonly TimeSpan Day = TimeSpan.FromDays(1);
    static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Null when <paramref name="actor"/> may create one more workspace, else the 429 to answer.</summary>
    public async Task<ApiError?> CheckWorkspaceCreationAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (actor.IsCli)
        {
            return null;
        }
        var caps = options.CurrentValue;
        var created = db.Organizations.AsNoTracking().Where(o => o.CreatedByUserId == actor.UserId);
        if (caps.MaxFreeOrganizationsPerAccount > 0)
        {
            var freePlans = plans.All.Where(p => p.Value.StopsAtQuota).Select(p => p.Key).ToList();
            if (await created.CountAsync(o => freePlans.Contains(o.Plan), cancellationToken) >= caps.MaxFreeOrganizationsPerAccount)
            {
                return Refuse(ErrorCodes.WorkspaceCreationLimit,
                    $"An account may have created at most {caps.MaxFreeOrganizationsPerAccount} organizations on a free plan.", retryAfter: null);
            }
        }
        var since = time.GetUtcNow() - Day;
        var recent = await created.Where(o => o.CreatedAt > since).OrderBy(o => o.CreatedAt)
            .Select(o => o.CreatedAt).Take(caps.MaxCreationsPerDay).ToListAsync(cancellationToken);
        return recent.Count < caps.MaxCreationsPerDay
            ? null
            : Refuse(ErrorCodes.WorkspaceCreationLimit,
                $"An account may create {caps.MaxCreationsPerDay} workspaces in 24 hours.", recent[0] + Day);
    }

    /// <summary>Null when <paramref name="actor"/> may send one more invitation, else the 429 to answer.</summary>
    public async Task<ApiError?> CheckInvitationAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (actor.IsCli)
        {
            return null;
        }
        var limit = options.CurrentValue.MaxInvitationsPerHour;
        var since = time.GetUtcNow() - Hour;
        var recent = await db.Invitations.AsNoTracking().Where(i => i.InvitedByUserId == actor.UserId && i.CreatedAt > since)
            .OrderBy(i => i.CreatedAt).Select(i => i.CreatedAt).Take(limit).ToListAsync(cancellationToken);
        return recent.Count < limit
            ? null
            : Refuse(ErrorCodes.InvitationLimit, $"An account may send {limit} invitations an hour.", recent[0] + Hour);
    }

    ApiError Refuse(string code, string message, DateTimeOffset? retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, code, message)
        {
            RetryAfterSeconds = retryAfter is { } at ? Math.Max(1, (int)Math.Ceiling((at - time.GetUtcNow()).TotalSeconds)) : null,
        };
}
