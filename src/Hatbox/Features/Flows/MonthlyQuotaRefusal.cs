using System.Globalization;
using Hatbox.Common.Errors;
using Hatbox.Features.Usage;

namespace Hatbox.Features.Flows;

/// <summary>
/// The plan's monthly flow-run cap answers as the monthly request quota does (QuotaStage): 429
/// <c>quota_exceeded</c> with <c>x-should-retry: false</c>, so SDKs do not retry in vain, and the reset time.
/// </summary>
internal sealed class MonthlyQuotaRefusal(ApiError error) : IResult
{
    public static string ResetText(DateTimeOffset now) =>
        BillingMonth.NextReset(now).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var time = httpContext.RequestServices.GetRequiredService<TimeProvider>();
        httpContext.Response.Headers["x-should-retry"] = "false";
        httpContext.Response.Headers["X-Quota-Reset"] = ResetText(time.GetUtcNow());
        return error.ExecuteAsync(httpContext);
    }
}
