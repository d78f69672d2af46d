using System.Diagnostics.Metrics;
using Hatbox.Features.Ai.Index;
using Hatbox.Features.Db;
using Hatbox.Features.Flows.Engine;
using Hatbox.Features.Usage;

namespace Hatbox.Features.Telemetry;

/// <summary>
/// The background queues as observable gauges, read only when the exporter is scraped: usage totals
/// not yet written and the journal's flushes, tenant changes and tables waiting for the embeddings indexer, flow runs this node runs.
/// </summary>
internal sealed class QueueDepthGauges : IDisposable
{
    readonly Meter _meter;

    public QueueDepthGauges(IMeterFactory meters, UsageRecorder usage, ITenantChangeFeed changes, SearchIndexes indexes, RunDispatcher runs)
    {
        _meter = meters.Create(HatboxMetrics.MeterName + ".Queues");
        _meter.CreateObservableGauge("hatbox.usage.pending", () => (long)usage.PendingTotals,
            "{total}", "Usage totals counted in memory and not yet written to the platform database.");
        // Billed requests per flush (the requests counter over this one) is what the journal's group commit achieves.
        _meter.CreateObservableCounter("hatbox.usage.journal.flushes", () => usage.Journal.Syncs,
            "{flush}", "Flushes (fdatasync) of the usage journal, each covering every billed request waiting at that moment.");
        _meter.CreateObservableGauge("hatbox.embeddings.changes.pending", () => changes.Changes.CanCount ? (long)changes.Changes.Count : 0,
            "{change}", "Tenant-table changes the embeddings indexer has not read yet.");
        _meter.CreateObservableGauge("hatbox.embeddings.tables.pending", () => indexes.Queue.CanCount ? (long)indexes.Queue.Count : 0,
            "{table}", "Search indexes queued for the embeddings indexer.");
        _meter.CreateObservableGauge("hatbox.flows.runs.active", () => (long)runs.ActiveRuns,
            "{run}", "Flow runs this node is running now.");
    }

    public void Dispose() => _meter.Dispose();
}
