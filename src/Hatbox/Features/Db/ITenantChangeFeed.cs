using System.Threading.Channels;

namespace Hatbox.Features.Db;

/// <summary>
/// Which tenant tables have changed, for work that follows the data off the write path (the
/// search index). Engine-neutral: the notices are raised around <see cref="ITenantDatabase"/>,
/// so a PostgreSQL engine feeds it unchanged. A notice says only where to look; readers reconcile
/// by content, so a lost or doubled notice costs time, never correctness.
/// </summary>
internal interface ITenantChangeFeed
{
    ChannelReader<TenantChange> Changes { get; }

    void Publish(TenantChange change);
}

/// <summary>
/// <paramref name="Table"/> is null when a raw statement changed something unknown;
/// <paramref name="InsertOnly"/> says the change only added rows, so a reader may look at new rows only.
/// </summary>
internal readonly record struct TenantChange(string WorkspaceId, DbEnvironment Environment, string? Table, bool InsertOnly = false);

internal sealed class TenantChangeFeed : ITenantChangeFeed
{
    // Bounded and lossy on purpose: a writer never waits for the indexer, and a dropped notice is
    // repaired by the next one or the reconciling scan.
    readonly Channel<TenantChange> _channel = Channel.CreateBounded<TenantChange>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<TenantChange> Changes => _channel.Reader;

    public void Publish(TenantChange change) => _channel.Writer.TryWrite(change);
}
