using Hatbox.Common.Errors;

namespace Hatbox.Features.Plans;

/// <summary>The organization's storage (all meters together) against its plan's <see cref="PlanOptions.StorageBytes"/>.</summary>
internal sealed class StorageQuota(IEnumerable<IStorageMeter> meters, PlanCatalog plans)
{
    public const string ExceededCode = "storage_quota_exceeded";

    public async Task<long> UsedBytesAsync(string organizationId, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var meter in meters)
        {
            total += await meter.MeasureBytesAsync(organizationId, cancellationToken);
        }
        return total;
    }

    /// <summary>Null when <paramref name="additionalBytes"/> more still fit the plan, else the 413 to answer.</summary>
    public async Task<ApiError?> CheckAsync(string organizationId, string plan, long additionalBytes, CancellationToken cancellationToken)
    {
        var limit = plans.Get(plan).StorageBytes;
        var used = await UsedBytesAsync(organizationId, cancellationToken);
        return used + additionalBytes <= limit
            ? null
            : new ApiError(StatusCodes.Status413PayloadTooLarge, ErrorTypes.InvalidRequest, ExceededCode,
                $"This organization's plan stores up to {limit} bytes and {used} are in use.");
    }
}
