using Hatbox.Features.Usage;

namespace Hatbox.Features.RateLimits;

/// <summary>
/// The counting in this process: the buckets of <see cref="IRateLimitStore"/>, then
/// <see cref="IQuotaCounter"/>, one after the other. Nothing goes over the network, so three calls cost
/// no round trip.
/// </summary>
internal sealed class SeparateAdmissionCounter(IRateLimitStore limits, IQuotaCounter quota) : IAdmissionCounter
{
    public async ValueTask<AdmissionCount> CountAsync(
        string keyId, string organizationId, int perMinute, string month, long? quotaLimit, CancellationToken cancellationToken)
    {
        // Ids carry their kind (key_…, org_…), so they name their buckets as they are: no string per request.
        var decision = await limits.TakeAsync(keyId, perMinute, cancellationToken);
        if (decision.Allowed)
        {
            var byOrganization = await limits.TakeAsync(organizationId, perMinute, cancellationToken);
            if (!byOrganization.Allowed || byOrganization.Remaining < decision.Remaining)
            {
                decision = byOrganization;
            }
        }
        if (!decision.Allowed)
        {
            return new AdmissionCount(decision, QuotaAdmitted: false);
        }
        var (admitted, _) = await quota.TryAdmitAsync(organizationId, month, quotaLimit, cancellationToken);
        return new AdmissionCount(decision, admitted);
    }
}
