using Hatbox.Common.Errors;
using Hatbox.Features.Accounts;
using Hatbox.Features.Organizations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hatbox.Features.Usage;

/// <summary>An organization's usage (by day, key, endpoint and status) and monthly statements, for its admins.</summary>
internal static class UsageEndpoints
{
    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/organizations/{organizationId}").WithTags("Usage and billing");

        group.MapGet("/usage", GetUsage).WithName("GetUsage");
        group.MapGet("/billing/statements/{month}", GetStatement).WithName("GetBillingStatement");
        return group;
    }

    static async Task<Results<Ok<UsageReport>, ApiError>> GetUsage(
        string organizationId, string? month, SignedInUser me, OrganizationAccess access, UsageService usage, TimeProvider time,
        CancellationToken ct)
    {
        if (await access.RequireAdminAsync(me.UserId, organizationId, ct) is { } refused)
        {
            return refused;
        }
        month ??= BillingMonth.Of(time.GetUtcNow());
        return BillingMonth.TryParse(month, out _) ? TypedResults.Ok(await usage.ReportAsync(organizationId, month, ct)) : UsageService.InvalidMonth;
    }

    static async Task<Results<Ok<BillingStatement>, ApiError>> GetStatement(
        string organizationId, string month, SignedInUser me, OrganizationAccess access, UsageService usage, CancellationToken ct)
    {
        if (await access.RequireAdminAsync(me.UserId, organizationId, ct) is { } refused)
        {
            return refused;
        }
        return await usage.StatementAsync(organizationId, month, ct) is { } statement ? TypedResults.Ok(statement) : UsageService.InvalidMonth;
    }
}
