using System.Collections.Concurrent;
using Hatbox.Features.ApiKeys;

namespace Hatbox.Features.Usage;

/// <summary>
/// Meters every authenticated request to its organization, workspace and key, refused ones
/// (origin, rate, quota) included, by endpoint group and status, with bytes and time
/// (<see cref="Pipeline.KeyedStages"/> calls it when the request ends). Recording is an in-memory add;
/// <see cref="UsageRecorder"/> writes the totals in batches.
/// </summary>
internal sealed class MeteringStage(UsageRecorder usage)
{
    /// <summary>
    /// Starts metering the request that started at <paramref name="started"/> (a Stopwatch timestamp),
    /// counted on <paramref name="now"/>'s day; end it with <see cref="MeteredRequest.EndAsync"/>.
    /// </summary>
    public MeteredRequest Begin(HttpContext context, ApiCaller caller, DateTimeOffset now, long started) =>
        new(usage, context, caller, now, started);

    /// <summary>
    /// The first path segment (<c>db</c>, <c>storage</c>, <c>flows</c>, <c>authentication</c>),
    /// unless the endpoint names its group (the AI routes under <c>/db</c> count as <c>ai</c>).
    /// </summary>
    internal static string EndpointGroup(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<MeteringGroupMetadata>() is { } named)
        {
            return named.Name;
        }
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
