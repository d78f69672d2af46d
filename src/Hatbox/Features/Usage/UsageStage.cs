using System.Diagnostics;
using System.Globalization;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Plans;

namespace Hatbox.Features.Usage;

/// <summary>
/// The monthly-quota stage and metering. On a plan that stops at its quota, the request past it
/// is <c>429 quota_exceeded</c> with <c>x-should-retry: false</c> (so SDKs do not retry in vain) and
/// the reset time; paid plans go on and the excess is billed as overage. Every authenticated
/// request, refused or not, is metered to its organization, workspace and key.
/// </summary>
internal sealed class UsageStage(RequestDelegate next, MonthlyQuota quota, UsageRecorder usage, PlanCatalog plans, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<ApiCaller>() is not { } caller)
        {
            await next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        try
        {
            var plan = plans.Get(caller.Plan);
            var (admitted, _) = await quota.TryAdmitAsync(caller.OrganizationId, BillingMonth.Of(now),
                plan.StopsAtQuota ? plan.RequestsPerMonth : null, context.RequestAborted);
            if (!admitted)
            {
                var reset = BillingMonth.NextReset(now);
                context.Response.Headers["x-should-retry"] = "false";
                context.Response.Headers["X-Quota-Reset"] = reset.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                await ApiErrorWriter.WriteAsync(context, new ApiError(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, "quota_exceeded",
                    $"This organization has used the {plan.RequestsPerMonth} requests its plan includes this month. The quota resets at {reset:yyyy-MM-ddTHH:mm:ssZ}."));
                return;
            }
            await next(context);
        }
        finally
        {
            usage.Record(
                new UsageKey(caller.OrganizationId, caller.WorkspaceId, caller.KeyId, BillingMonth.Day(now), EndpointGroup(context), context.Response.StatusCode),
                context.Request.ContentLength ?? 0, context.Response.ContentLength ?? 0, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The first path segment (<c>db</c>, <c>storage</c>, <c>flows</c>, <c>authentication</c>).</summary>
    static string EndpointGroup(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var end = path.IndexOf('/', 1);
        var group = end < 0 ? path[1..] : path[1..end];
        return group.Length is > 0 and <= 32 ? group : "root";
    }
}
