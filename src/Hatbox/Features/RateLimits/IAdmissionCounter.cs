namespace Hatbox.Features.RateLimits;

/// <summary>
/// Counts one keyed request against its limits, in the order DESIGN.md §5 gives them: a token from
/// the key's bucket, then from the organization's, then (only if both had one) a request of the
/// organization's monthly quota. One call for all three, so a store across the network decides them
/// in one round trip (<see cref="RedisAdmissionCounter"/>), not three.
/// </summary>
internal interface IAdmissionCounter
{
    /// <summary>Takes the tokens and counts the request; <paramref name="quotaLimit"/> null is no limit (counted, never refused).</summary>
    ValueTask<AdmissionCount> CountAsync(
        string keyId, string organizationId, int perMinute, string month, long? quotaLimit, CancellationToken cancellationToken);
}

/// <summary>
/// The rate decision (the tighter of the two buckets, for the headers) and whether the quota admitted
/// the request; a request the rate limit refused never reaches the quota and is not counted there.
/// </summary>
internal readonly record struct AdmissionCount(RateLimitDecision Rate, bool QuotaAdmitted);
