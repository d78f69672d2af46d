using Hatbox.Common;
using System.Collections.Concurrent;
using System.Data.Common;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// Keeps each key's "last used" time off the request path: a request only notes the time in
/// memory; every five seconds (and at shutdown) the newest times are written in one pass.
/// </summary>
internal sealed partial class KeyUsageRecorder(IServiceScopeFactory scopes, TimeProvider time, ILogger<KeyUsageRecorder> logger,
    Common.Readiness.PlatformReadiness? readiness = null)
    : PeriodicWorker(time, readiness)
{
    // UTC ticks, not DateTimeOffset: a long is written in place, so noting a known key allocates nothing
    // (a larger value would cost the dictionary a new node on every request).
    readonly ConcurrentDictionary<string, long> _pending = new();

    /// <summary>Notes that the key was used at <paramref name="at"/> (the request's time, read once for all its stages).</summary>
    public void Touch(string keyId, DateTimeOffset at)
    {
        var now = at.UtcTicks;
        // Within the same second the stored time is left alone: a write on every request would move
        // the entry between the cores serving that key, and nobody reads last-used times that finely.
        if (!_pending.TryGetValue(keyId, out var noted) || now - noted >= TimeSpan.TicksPerSecond)
        {
            _pending[keyId] = now;
        }
    }

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(5);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    internal async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        foreach (var keyId in _pending.Keys)
        {
            // Stop between keys when asked; what is left stays pending for the final flush.
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            if (!_pending.TryRemove(keyId, out var usedTicks))
            {
                continue;
            }
            var usedAt = new DateTimeOffset(usedTicks, TimeSpan.Zero);
            try
            {
                // Never cancelled once the time is out of memory, as in UsageRecorder.
                await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < usedAt))
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, usedAt), CancellationToken.None);
            }
            // On PostgreSQL, EF Core wraps a connection failure in "likely due to a transient failure".
            catch (Exception exception) when (exception is DbException || Common.Errors.StoreOutage.StoreOf(exception) is not null)
            {
                _pending.TryAdd(keyId, usedTicks);
                LogFlushFailed(logger, exception);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record when keys were last used; will retry")]
    static partial void LogFlushFailed(ILogger logger, Exception exception);
}
