using System.Globalization;
using Hatbox.Common.Redis;
using Hatbox.Data;
using Hatbox.Features.Notifications;
using Hatbox.Features.Plans;
using Hatbox.Features.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Usage;

/// <summary>
/// E-mails an organization's admins when its month reaches 80% and 100% of the plan's requests,
/// once per month each: the outbox's dedupe key holds the organization, month and threshold.
/// </summary>
internal sealed partial class QuotaNotices(IServiceScopeFactory scopes, IQuotaCounter quota, PlanCatalog plans, TimeProvider time,
    ILogger<QuotaNotices> logger)
{
    static readonly int[] Thresholds = [80, 100];

    public async Task CheckAsync(IEnumerable<string> organizationIds, CancellationToken cancellationToken)
    {
        var month = BillingMonth.Of(time.GetUtcNow());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        foreach (var organizationId in organizationIds)
        {
            var organization = await db.Organizations.FindAsync([organizationId], cancellationToken);
            if (organization is null)
            {
                continue;
            }
            var plan = plans.Get(organization.Plan);
            long used;
            try
            {
                used = await quota.CountAsync(organizationId, month, cancellationToken);
            }
            catch (RedisUnavailableException exception)
            {
                // The next flush with this organization's requests checks again: a count only grows, so no threshold is missed.
                LogCountUnavailable(logger, exception);
                break;
            }
            foreach (var threshold in Thresholds.Where(t => used * 100 >= plan.RequestsPerMonth * t))
            {
                var admins = await (from w in db.Workspaces
                                    join m in db.Memberships on w.Id equals m.WorkspaceId
                                    join u in db.Users on m.UserId equals u.Id
                                    where w.OrganizationId == organizationId && m.Role == WorkspaceRole.Admin
                                    select u.Email).Distinct().ToListAsync(cancellationToken);
                foreach (var email in admins)
                {
                    await Outbox.EnqueueAsync(db, time, $"quota:{organizationId}:{month}:{threshold}:{email}", email,
                        $"{organization.Name} has used {threshold}% of its monthly API requests",
                        Body(organization.Name, organization.Plan, plan, used, threshold, month), cancellationToken);
                }
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota notices skipped: Redis did not answer")]
    static partial void LogCountUnavailable(ILogger logger, Exception exception);

    static string Body(string name, string planName, PlanOptions plan, long used, int threshold, string month) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            {name} has made {used} of the {plan.RequestsPerMonth} API requests its {planName} plan includes in {month} ({threshold}%).

            {(plan.StopsAtQuota
                ? "On this plan, requests past the quota are refused (429 quota_exceeded) until the quota resets on the 1st (UTC). Upgrade the plan to keep going."
                : $"On this plan, requests past the quota keep working and are billed at {plan.OveragePricePer1000} per 1,000.")}
            """);
}
