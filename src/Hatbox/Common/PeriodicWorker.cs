namespace Hatbox.Common;

/// <summary>
/// A background job that runs every <see cref="Interval"/> until the server stops (the key-change
/// watcher, the health probe, the outbox sender, usage writers). Failures a job expects are its
/// own to catch; stopping is handled here.
/// </summary>
internal abstract class PeriodicWorker(TimeProvider time) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Run once at start too, not only after the first interval.</summary>
    protected virtual bool RunAtStart => false;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (RunAtStart)
            {
                await RunOnceAsync(stoppingToken);
            }
            using var timer = new PeriodicTimer(Interval, Time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }
}
