namespace Hatbox.Features.Usage;

/// <summary>The key a request is counted under; requests with equal keys add up in memory before a flush.</summary>
internal readonly record struct UsageKey(string OrganizationId, string WorkspaceId, string KeyId, string Day, string EndpointGroup, int StatusCode);

/// <summary>Running totals for one <see cref="UsageKey"/>; updated with interlocked adds, no lock on the request path.</summary>
internal sealed class UsageTotals
{
    public long Requests;
    public long BytesIn;
    public long BytesOut;
    public long DurationMicroseconds;
}
