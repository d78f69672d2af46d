using System.Collections.Concurrent;
using System.Data.Common;
using Hatbox.Common;

namespace Hatbox.Features.Usage;

/// <summary>
/// Metering off the request path, durable before the answer. A request adds to in-memory totals;
/// a billed request then waits in <see cref="CountDurablyAsync"/> for the next group commit, one
/// transaction that adds every total waiting at that moment to the <see cref="UsageDaily"/> rows
/// (<see cref="UsageWriter"/>): requests that arrive while a commit runs share the next one, so a
/// busy server commits once per group, not once per request. Bytes and time recorded after the
/// answer ride along with the next commit, or the two-second flush (also run when the server
/// stops, after the last request). A failed write puts the totals back and is retried, and the
/// requests waiting on it wait on (issue 17 item 3; docs/durability.md has the guarantee).
/// </summary>
internal sealed partial class UsageRecorder(UsageWriter writer, QuotaNotices notices, TimeProvider time, ILogger<UsageRecorder> logger)
    : PeriodicWorker(time)
{
    static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    readonly ConcurrentDictionary<UsageKey, UsageTotals> _pending = new();
    // Organizations counted since the last notice check.
    readonly ConcurrentDictionary<string, byte> _touched = new(StringComparer.Ordinal);
    // Taken by a durable count (add, then take the commit it waits for) and by the drain (swap the
    // commit, then take the totals), so every add before a drain waits on exactly that drain's commit.
    readonly Lock _cut = new();
    readonly SemaphoreSlim _oneWriteAtATime = new(1, 1);
    readonly SemaphoreSlim _commitWanted = new(0, 1);
    int _wanted;
    TaskCompletionSource _nextCommit = NewCommit();
    Task? _committer;
    CancellationTokenSource? _stopping;

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Totals counted and not yet written (the <c>hatbox.usage.pending</c> gauge).</summary>
    internal int PendingTotals => _pending.Count;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        _committer = Task.Run(() => CommitLoopAsync(_stopping.Token), CancellationToken.None);
        await base.StartAsync(cancellationToken);
    }

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_stopping is not null)
        {
            await _stopping.CancelAsync();
            await _committer!;
        }
        await FlushAsync(CancellationToken.None);
    }

    /// <summary>Writes every total now and checks the quota notices of the organizations counted since the last check.</summary>
    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        await CommitAsync();
        var organizations = _touched.Keys.ToList();
        foreach (var organization in organizations)
        {
            _touched.TryRemove(organization, out _);
        }
        if (organizations.Count > 0)
        {
            await notices.CheckAsync(organizations, cancellationToken);
        }
    }

    /// <summary>Counts one request and completes once that count is committed: call it before the answer leaves.</summary>
    public Task CountDurablyAsync(UsageKey key, long bytesIn)
    {
        Task committed;
        lock (_cut)
        {
            Add(key, 1, bytesIn, 0, 0);
            committed = _nextCommit.Task;
        }
        // One wake-up at a time: the commit it starts takes every count made until then.
        if (Interlocked.Exchange(ref _wanted, 1) == 0)
        {
            _commitWanted.Release();
        }
        return committed;
    }

    /// <summary>Adds to the totals without waiting: bytes and time after the answer, or a request that is not billed.</summary>
    public void Record(UsageKey key, long requests, long bytesIn, long bytesOut, TimeSpan duration) =>
        Add(key, requests, bytesIn, bytesOut, (long)duration.TotalMicroseconds);

    async Task CommitLoopAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await _commitWanted.WaitAsync(stopping);
                Volatile.Write(ref _wanted, 0);
                await CommitAsync();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The final flush in StopAsync commits what is left.
        }
    }

    /// <summary>One transaction with everything counted so far; on failure the totals go back and it tries again.</summary>
    async Task CommitAsync()
    {
        await _oneWriteAtATime.WaitAsync(CancellationToken.None);
        try
        {
            while (true)
            {
                List<UsageRow> batch;
                TaskCompletionSource done;
                lock (_cut)
                {
                    done = _nextCommit;
                    _nextCommit = NewCommit();
                    batch = Drain();
                }
                if (batch.Count == 0)
                {
                    done.SetResult();
                    return;
                }
                try
                {
                    // Never cancelled: the batch is already out of memory, so a write the stop interrupted would lose it.
                    await writer.WriteAsync(batch, CancellationToken.None);
                    done.SetResult();
                    return;
                }
                catch (DbException exception)
                {
                    lock (_cut)
                    {
                        batch.ForEach(row => Add(row.Key, row.Requests, row.BytesIn, row.BytesOut, row.DurationMicroseconds));
                        // Requests that waited on this commit, and those that came since, wait on the retry.
                        var since = _nextCommit;
                        _nextCommit = done;
                        _ = done.Task.ContinueWith(_ => since.TrySetResult(), CancellationToken.None,
                            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }
                    LogFlushFailed(logger, exception);
                    await Task.Delay(RetryDelay, Time, CancellationToken.None);
                }
            }
        }
        finally
        {
            _oneWriteAtATime.Release();
        }
    }

    /// <summary>Takes every total out of memory, exchanging each with zero: an add racing with it lands in the next batch, never nowhere.</summary>
    List<UsageRow> Drain()
    {
        var batch = new List<UsageRow>();
        foreach (var (key, totals) in _pending)
        {
            var requests = Interlocked.Exchange(ref totals.Requests, 0);
            var bytesIn = Interlocked.Exchange(ref totals.BytesIn, 0);
            var bytesOut = Interlocked.Exchange(ref totals.BytesOut, 0);
            var duration = Interlocked.Exchange(ref totals.DurationMicroseconds, 0);
            if (requests == 0 && bytesIn == 0 && bytesOut == 0 && duration == 0)
            {
                // Days before yesterday get no more requests; yesterday may, around midnight.
                if (string.CompareOrdinal(key.Day, Yesterday()) < 0)
                {
                    _pending.TryRemove(key, out _);
                }
                continue;
            }
            batch.Add(new UsageRow(key, requests, bytesIn, bytesOut, duration));
            _touched.TryAdd(key.OrganizationId, 0);
        }
        return batch;
    }

    void Add(UsageKey key, long requests, long bytesIn, long bytesOut, long durationMicroseconds)
    {
        var totals = _pending.GetOrAdd(key, static _ => new UsageTotals());
        Interlocked.Add(ref totals.Requests, requests);
        Interlocked.Add(ref totals.BytesIn, bytesIn);
        Interlocked.Add(ref totals.BytesOut, bytesOut);
        Interlocked.Add(ref totals.DurationMicroseconds, durationMicroseconds);
    }

    static TaskCompletionSource NewCommit() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    string Yesterday() => Time.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write usage; will retry")]
    static partial void LogFlushFailed(ILogger logger, Exception exception);
}
