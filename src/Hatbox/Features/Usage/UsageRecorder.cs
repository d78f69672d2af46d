using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.InteropServices;
using Hatbox.Common;
using Hatbox.Common.Readiness;

namespace Hatbox.Features.Usage;

/// <summary>
/// Metering off the request path, durable before the answer. A request adds to in-memory totals;
/// a billed request then waits in <see cref="CountDurablyAsync"/> for the next sync of the
/// <see cref="UsageJournal"/>: one append and one <c>fdatasync</c> with every count waiting at that
/// moment, so requests that arrive while a sync runs share the next one and a busy server syncs
/// once per group, not once per request. Every two seconds (and when the server stops, after the
/// last request) the totals, bytes and time included, are folded into <c>usage_daily</c> in one
/// transaction that also marks the journal segment they came from (<see cref="UsageWriter"/>);
/// that segment is then deleted. At start, segments not yet marked are replayed. A failed write
/// puts the totals back and is retried; requests waiting on a failed sync wait on its retry
/// (issue 17 item 3; docs/durability.md has the guarantee).
/// </summary>
internal sealed partial class UsageRecorder(UsageWriter writer, UsageJournal journal, QuotaNotices notices, TimeProvider time, ILogger<UsageRecorder> logger)
    : PeriodicWorker(time), IPlatformStartupStep
{
    static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    readonly ConcurrentDictionary<UsageKey, UsageTotals> _pending = new();
    // Organizations counted since the last notice check.
    readonly ConcurrentDictionary<string, byte> _touched = new(StringComparer.Ordinal);
    // Taken by a durable count (add, then take the sync it waits for) and by a sync (swap the
    // group, then take its counts), so every count before a sync is in exactly that sync.
    readonly Lock _cut = new();
    // One journal writer at a time: the sync loop, or the fold that closes a segment.
    readonly SemaphoreSlim _journalGate = new(1, 1);
    readonly SemaphoreSlim _oneFoldAtATime = new(1, 1);
    // Set when a count waits for a sync. No spinning before the syncer sleeps: under load a count
    // arrives while a sync runs, and when idle a spin only burns a core the server's requests need.
    readonly ManualResetEventSlim _syncWanted = new(false, spinCount: 0);
    int _wanted;
    // Billed counts not yet in the journal, and the sync their requests wait for.
    Dictionary<UsageKey, long> _unsynced = [];
    TaskCompletionSource _nextSync = NewSync();
    Thread? _syncer;
    CancellationTokenSource? _stopping;

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Totals counted and not yet written (the <c>hatbox.usage.pending</c> gauge).</summary>
    internal int PendingTotals => _pending.Count;
    /// <summary>The journal billed counts are synced to before their answers leave.</summary>
    internal UsageJournal Journal => journal;

    // Started by the platform start-up instead (IPlatformStartupStep): the replay needs the platform
    // store, which may not be there yet when the host starts.
    public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Once the platform store is there and before any request is admitted: replay, then sync and
    /// fold. A replay that fails (the store went away) leaves the journal as it was and runs again.
    /// </summary>
    async Task IPlatformStartupStep.RunAsync(CancellationToken cancellationToken)
    {
        await ReplayAsync(cancellationToken);
        _stopping = new CancellationTokenSource();
        // A thread of its own, not one of the pool's: each sync blocks in fdatasync, and a pool thread
        // blocked there is one fewer for requests (bench/README.md, "Billed requests").
        var stopping = _stopping.Token;
        _syncer = new Thread(() => SyncLoop(stopping)) { IsBackground = true, Name = "Hatbox usage journal" };
        _syncer.Start();
        // Not the start-up's token: the periodic fold runs until this recorder's own stop.
        await base.StartAsync(CancellationToken.None);
    }

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            // Never started: the node stopped before its platform store was ready, so nothing was
            // admitted, counted or replayed; the journal stays for the next start.
            return;
        }
        await base.StopAsync(cancellationToken);
        await _stopping.CancelAsync();
        _syncer!.Join();
        await FlushAsync(CancellationToken.None);
    }

    /// <summary>Writes every total now and checks the quota notices of the organizations counted since the last check.</summary>
    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        await FoldAsync();
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

    /// <summary>Counts one request and completes once that count is on disk: call it before the answer leaves.</summary>
    public Task CountDurablyAsync(UsageKey key, long bytesIn)
    {
        Task synced;
        lock (_cut)
        {
            // Both inside the cut: a fold takes the total and the journal group in one step, so the
            // request is in exactly one of usage_daily's batch or the next segment, never both.
            Add(key, 1, bytesIn, 0, 0);
            CollectionsMarshal.GetValueRefOrAddDefault(_unsynced, key, out _)++;
            synced = _nextSync.Task;
        }
        // One wake-up per group, and not at once: the syncer is woken by a thread-pool item queued behind
        // the work already waiting (the global queue is first in, first out), so under load the requests
        // ahead of it reach this point first and share the sync, and an idle pool runs it at once. A sync
        // costs ~0.1 ms of kernel CPU on the dev VM whatever its size: its requests share that cost, and
        // a timer's linger fired late on a busy machine (bench/README.md, "Billed requests").
        if (Interlocked.Exchange(ref _wanted, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static wanted => wanted.Set(), _syncWanted, preferLocal: false);
        }
        return synced;
    }

    /// <summary>Adds to the totals without waiting: bytes and time after the answer, or a request that is not billed.</summary>
    public void Record(UsageKey key, long requests, long bytesIn, long bytesOut, TimeSpan duration) =>
        Add(key, requests, bytesIn, bytesOut, (long)duration.TotalMicroseconds);

    /// <summary>Folds the segments a crash left behind into usage_daily before the first request is served.</summary>
    async Task ReplayAsync(CancellationToken cancellationToken)
    {
        var mark = await writer.JournalMarkAsync(journal.NodeId, cancellationToken);
        var left = journal.Segments();
        var last = Math.Max(mark, left.Count > 0 ? left[^1] : -1);
        foreach (var segment in left.Where(segment => segment > mark))
        {
            foreach (var (key, requests) in journal.Read(segment))
            {
                Add(key, requests, 0, 0, 0);
            }
        }
        journal.StartSegment(last + 1);
        journal.Prepare(last + 2);
        var batch = Drain();
        if (batch.Count > 0 || left.Count > 0)
        {
            await writer.WriteAsync(batch, CancellationToken.None, (journal.NodeId, last));
            var replayed = batch.Sum(row => row.Requests);
            if (replayed > 0)
            {
                LogReplayed(logger, replayed, left.Count);
            }
        }
        journal.DeleteThrough(last);
    }

    void SyncLoop(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                _syncWanted.Wait(stopping);
                _syncWanted.Reset();
                Volatile.Write(ref _wanted, 0);
                _journalGate.Wait(CancellationToken.None);
                try
                {
                    // Completes without waiting unless a flush fails (then it waits out the retry delay, on this thread).
                    SyncAsync(null).GetAwaiter().GetResult();
                }
                finally
                {
                    _journalGate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The final flush in StopAsync syncs and folds what is left.
        }
    }

    /// <summary>
    /// Appends the counts waiting and releases their requests once flushed. With <paramref name="fold"/>
    /// set, also takes every total for usage_daily in the same cut and starts the next segment, so
    /// everything in the closed segment is in that batch. Under the journal gate. Retries until written.
    /// </summary>
    async Task<long> SyncAsync(List<UsageRow>? fold)
    {
        while (true)
        {
            Dictionary<UsageKey, long> group;
            TaskCompletionSource done;
            lock (_cut)
            {
                group = _unsynced;
                _unsynced = [];
                done = _nextSync;
                _nextSync = NewSync();
                fold?.AddRange(Drain());
            }
            try
            {
                if (group.Count > 0)
                {
                    journal.Append(group);
                }
                // The last segment whose counts are all in this fold: the current one, closed now, unless it
                // is empty; an idle server keeps that one rather than make and flush a new file every two seconds.
                var closed = journal.Current - 1;
                if (fold is not null && !journal.CurrentIsEmpty)
                {
                    closed = journal.Current;
                    journal.StartSegment(closed + 1);
                }
                done.SetResult();
                return closed;
            }
            catch (IOException exception)
            {
                lock (_cut)
                {
                    foreach (var (key, requests) in group)
                    {
                        _unsynced[key] = _unsynced.GetValueOrDefault(key) + requests;
                    }
                    fold?.ForEach(row => Add(row.Key, row.Requests, row.BytesIn, row.BytesOut, row.DurationMicroseconds));
                    fold?.Clear();
                    // Requests that waited on this sync, and those that came since, wait on the retry.
                    var since = _nextSync;
                    _nextSync = done;
                    _ = done.Task.ContinueWith(_ => since.TrySetResult(), CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
                LogSyncFailed(logger, exception);
                await Task.Delay(RetryDelay, Time, CancellationToken.None);
            }
        }
    }

    /// <summary>Closes the journal's segment and folds everything counted so far into usage_daily with its mark; retried on failure.</summary>
    async Task FoldAsync()
    {
        await _oneFoldAtATime.WaitAsync(CancellationToken.None);
        try
        {
            while (true)
            {
                var batch = new List<UsageRow>();
                long closed;
                await _journalGate.WaitAsync(CancellationToken.None);
                try
                {
                    closed = await SyncAsync(batch);
                }
                finally
                {
                    _journalGate.Release();
                }
                if (batch.Count == 0)
                {
                    return;
                }
                try
                {
                    // Never cancelled: the batch is already out of memory, so a write the stop interrupted would lose it.
                    await writer.WriteAsync(batch, CancellationToken.None, (journal.NodeId, closed));
                    journal.DeleteThrough(closed);
                    // The next segment's file, made now, off the path of any waiting request.
                    journal.Prepare(journal.Current + 1);
                    return;
                }
                catch (DbException exception)
                {
                    // The closed segment stays on disk; the next fold's mark covers it too.
                    batch.ForEach(row => Add(row.Key, row.Requests, row.BytesIn, row.BytesOut, row.DurationMicroseconds));
                    LogFlushFailed(logger, exception);
                    await Task.Delay(RetryDelay, Time, CancellationToken.None);
                }
            }
        }
        finally
        {
            _oneFoldAtATime.Release();
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

    static TaskCompletionSource NewSync() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    string Yesterday() => Time.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write usage; will retry")]
    static partial void LogFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not sync the usage journal; billed requests wait until it works")]
    static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Requests} billed requests from {Segments} usage journal segments")]
    static partial void LogReplayed(ILogger logger, long requests, int segments);
}
