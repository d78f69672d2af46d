namespace Hatbox.Features.Plans;

/// <summary>
/// One feature's share of an organization's stored bytes (tenant databases, files). Each feature
/// that stores data registers one; <see cref="StorageQuota"/> adds them up against the plan.
/// </summary>
internal interface IStorageMeter
{
    Task<long> MeasureBytesAsync(string organizationId, CancellationToken cancellationToken);
}
