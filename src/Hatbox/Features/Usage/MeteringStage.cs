using System.Collections.Concurrent;
using System.Diagnostics;
using Hatbox.Features.ApiKeys;
using Hatbox.Pipeline;

namespace Hatbox.Features.Usage;

/// <summary>
/// Meters every authenticated request to its organization, workspace and key, refused ones
/// (origin, rate, quota) included, by endpoint group and status, with bytes and time. Recording is
/// an in-memory add; <see cref="UsageRecorder"/> writes the totals in batches.
/// </summary>
internal sealed class MeteringStage(RequestDelegate next, UsageRecorder usage, TimeProvider time)
{
    // Requests without a key (health, management) go straight on, without an async frame of their own.
    public Task InvokeAsync(HttpContext context) =>
        ApiCaller.Of(context) is { } caller ? MeterAsync(context, caller) : next(context);

    async Task MeterAsync(HttpContext context, ApiCaller caller)
    {
        var started = Stopwatch.GetTimestamp();
        var status = 0;
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            // The exception handler, outside this stage, writes the answer later; the response still says 200 here.
            status = ApiExceptionHandler.ErrorFor(exception).Status;
            throw;
        }
        finally
        {
            usage.Record(
                new UsageKey(caller.OrganizationId, caller.WorkspaceId, caller.KeyId, BillingMonth.Day(time.GetUtcNow()),
                    EndpointGroup(context), status != 0 ? status : context.Response.StatusCode),
                context.Request.ContentLength ?? 0, context.Response.ContentLength ?? 0, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The first path segment (<c>db</c>, <c>storage</c>, <c>flows</c>, <c>authentication</c>).</summary>
    static string EndpointGroup(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "/").AsSpan();
        var end = path[1..].IndexOf('/');
        var group = end < 0 ? path[1..] : path.Slice(1, end);
        return group.Length is > 0 and <= 32 ? GroupName(group) : "root";
    }

    // Only requests to keyed endpoints are metered, so the groups are the first segments of their
    // routes, a handful: each name is made once and reused, not cut out of every request's path.
    const int MaxGroups = 256;
    static readonly ConcurrentDictionary<string, string> Groups = new(StringComparer.Ordinal);
    static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> GroupsBySpan =
        Groups.GetAlternateLookup<ReadOnlySpan<char>>();

    static string GroupName(ReadOnlySpan<char> group)
    {
        if (GroupsBySpan.TryGetValue(group, out var known))
        {
            return known;
        }
        var name = group.ToString();
        return Groups.Count < MaxGroups ? Groups.GetOrAdd(name, name) : name;
    }
}
