namespace Hatbox.Features.Usage;

/// <summary>The key a request is counted under; requests with equal keys add up in memory before a flush.</summary>
internal readonly record struct UsageKey(string OrganizationId, string WorkspaceId, string KeyId, string Day, string EndpointGroup, int StatusCode)
{
    // A key belongs to one workspace of one organization, so their ids add nothing to the hash but
    // text to hash on every request. Equality still compares every part.
    public override int GetHashCode() => HashCode.Combine(KeyId, Day, EndpointGroup, StatusCode);
}

/// <summary>Running totals for one <see cref="UsageKey"/>; updated with interlocked adds, no lock on the request path.</summary>
internal sealed class UsageTotals
{
    public long Requests;
    public long BytesIn;
    public long BytesOut;
    public long DurationMicroseconds;
}
