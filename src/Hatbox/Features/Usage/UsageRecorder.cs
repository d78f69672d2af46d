using Hatbox.Common;
using System.Collections.Concurrent;
using System.Data.Common;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Usage;

/// <summary>
/// Metering off the request path: a request adds to in-memory totals; every two seconds (and when
/// the server stops, after the last request is answered) the totals are added to
/// <see cref="UsageDaily"/> rows in one transaction. A failed write puts the totals back, so
/// counting never loses an acknowledged request short of the process being killed.
/// </summary>
internal sealed partial class UsageRecorder(IServiceScopeFactory scopes, QuotaNotices notices, TimeProvider time, ILogger<UsageRecorder> logger)
    : PeriodicWorker(time)
{
    readonly ConcurrentDictionary<UsageKey, UsageTotals> _pending = new();

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(2);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(CancellationToken.None);
    }

    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        // Drain by exchanging each total with zero: an add racing with the drain lands in the next flush, never nowhere.
        var batch = new List<(UsageKey Key, long Requests, long BytesIn, long BytesOut, long DurationMicroseconds)>();
        foreach (var (key, totals) in _pending)
        {
            var requests = Interlocked.Exchange(ref totals.Requests, 0);
            if (requests == 0)
            {
                // Days before yesterday get no more requests; yesterday may, around midnight.
                if (string.CompareOrdinal(key.Day, Yesterday()) < 0)
                {
                    _pending.TryRemove(key, out _);
                }
                continue;
            }
            batch.Add((key, requests, Interlocked.Exchange(ref totals.BytesIn, 0), Interlocked.Exchange(ref totals.BytesOut, 0),
                Interlocked.Exchange(ref totals.DurationMicroseconds, 0)));
        }
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            // Never cancelled: the batch is already out of memory, so a write the stop interrupted would
            // lose it (and the final flush would find nothing). One short transaction, then done.
            await WriteAsync(batch, CancellationToken.None);
        }
        catch (DbException exception)
        {
            foreach (var row in batch)
            {
                Add(row.Key, row.Requests, row.BytesIn, row.BytesOut, row.DurationMicroseconds);
            }
            LogFlushFailed(logger, exception);
            return;
        }
        await notices.CheckAsync(batch.Select(r => r.Key.OrganizationId).Distinct(), cancellationToken);
    }

    public void Record(UsageKey key, long bytesIn, long bytesOut, TimeSpan duration) =>
        Add(key, 1, bytesIn, bytesOut, (long)duration.TotalMicroseconds);

    void Add(UsageKey key, long requests, long bytesIn, long bytesOut, long durationMicroseconds)
    {
        var totals = _pending.GetOrAdd(key, static _ => new UsageTotals());
        Interlocked.Add(ref totals.Requests, requests);
        Interlocked.Add(ref totals.BytesIn, bytesIn);
        Interlocked.Add(ref totals.BytesOut, bytesOut);
        Interlocked.Add(ref totals.DurationMicroseconds, durationMicroseconds);
    }

    string Yesterday() => Time.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    async Task WriteAsync(List<(UsageKey Key, long Requests, long BytesIn, long BytesOut, long DurationMicroseconds)> batch,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (key, requests, bytesIn, bytesOut, durationMicroseconds) in batch)
        {
            var durationMs = durationMicroseconds / 1000.0;
            // Adds to the row if it exists (one statement, valid in SQLite and PostgreSQL: quoted names,
            // since PostgreSQL folds bare ones to lower case, and the old row named by its table).
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO usage_daily ("OrganizationId", "Day", "WorkspaceId", "KeyId", "EndpointGroup", "StatusCode", "Requests", "BytesIn", "BytesOut", "DurationMs")
                VALUES ({key.OrganizationId}, {key.Day}, {key.WorkspaceId}, {key.KeyId}, {key.EndpointGroup}, {key.StatusCode},
                        {requests}, {bytesIn}, {bytesOut}, {durationMs})
                ON CONFLICT ("OrganizationId", "Day", "WorkspaceId", "KeyId", "EndpointGroup", "StatusCode") DO UPDATE SET
                    "Requests" = usage_daily."Requests" + excluded."Requests", "BytesIn" = usage_daily."BytesIn" + excluded."BytesIn",
                    "BytesOut" = usage_daily."BytesOut" + excluded."BytesOut", "DurationMs" = usage_daily."DurationMs" + excluded."DurationMs"
                """, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write usage; will retry with the next batch")]
    static partial void LogFlushFailed(ILogger logger, Exception exception);
}
