using Hatbox.Common.Readiness;

namespace Hatbox.Common;

/// <summary>
/// A background job that runs every <see cref="Interval"/> until the server stops (the key-change
/// watcher, the health probe, the outbox sender, usage writers). Failures a job expects are its
/// own to catch; stopping is handled here. A job given the node's <see cref="PlatformReadiness"/>
/// starts once the platform store is there and migrated, not against a store that is not.
/// </summary>
internal abstract class PeriodicWorker(TimeProvider time, PlatformReadiness? readiness = null) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Run once at start too, not only after the first interval.</summary>
    protected virtual bool RunAtStart => false;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A shared store that is down (PostgreSQL restarting, Redis gone) fails this run only: the next
    /// tick tries again, instead of the exception stopping the whole server. The store's health probe
    /// logs the outage once; each job's own work stays where it was (an outbox row stays due).
    /// </summary>
    async Task RunOnceOrWaitForStoreAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested && Errors.StoreOutage.StoreOf(e) is not null)
        {
        }
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (readiness is not null)
            {
                await readiness.WhenReadyAsync(stoppingToken);
            }
            if (RunAtStart)
            {
                await RunOnceOrWaitForStoreAsync(stoppingToken);
            }
            using var timer = new PeriodicTimer(Interval, Time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceOrWaitForStoreAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }
}
