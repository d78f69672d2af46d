using System.Diagnostics;
using Hatbox.Features.ApiKeys;

namespace Hatbox.Features.Usage;

/// <summary>
/// Meters every authenticated request to its organization, workspace and key, refused ones
/// (origin, rate, quota) included, by endpoint group and status, with bytes and time. Recording is
/// an in-memory add; <see cref="UsageRecorder"/> writes the totals in batches.
/// </summary>
internal sealed class MeteringStage(RequestDelegate next, UsageRecorder usage, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<ApiCaller>() is not { } caller)
        {
            await next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            usage.Record(
                new UsageKey(caller.OrganizationId, caller.WorkspaceId, caller.KeyId, BillingMonth.Day(time.GetUtcNow()),
                    EndpointGroup(context), context.Response.StatusCode),
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
