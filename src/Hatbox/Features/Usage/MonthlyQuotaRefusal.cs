using System.Globalization;
using Hatbox.Common.Errors;

namespace Hatbox.Features.Usage;

/// <summary>
/// How every monthly plan limit refuses (requests in <see cref="QuotaStage"/>, flow runs): 429
/// <c>quota_exceeded</c> with <c>x-should-retry: false</c>, so SDKs do not retry in vain, and the
/// reset time in <c>X-Quota-Reset</c>. As an <see cref="IResult"/> for endpoints that refuse it themselves.
/// </summary>
internal sealed class MonthlyQuotaRefusal(ApiError error) : IResult
{
    public static string ResetText(DateTimeOffset now) =>
        BillingMonth.NextReset(now).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static void WriteHeaders(HttpResponse response, DateTimeOffset now)
    {
        response.Headers["x-should-retry"] = "false";
        response.Headers["X-Quota-Reset"] = ResetText(now);
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        WriteHeaders(httpContext.Response, httpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        return error.ExecuteAsync(httpContext);
    }
}
