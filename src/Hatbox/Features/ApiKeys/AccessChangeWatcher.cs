using System.Data.Common;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// Polls the newest <see cref="AccessChange"/> id four times a second (one indexed read, not one per
/// request) and empties the key cache when it moves. If the database cannot be read, the cache
/// simply stops being trusted after <see cref="ApiKeyCache.TrustWindow"/>.
/// </summary>
internal sealed partial class AccessChangeWatcher(
    IServiceScopeFactory scopes, ApiKeyCache cache, TimeProvider time, ILogger<AccessChangeWatcher> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    long _lastSeen = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                try
                {
                    await CheckAsync(stoppingToken);
                }
                catch (DbException exception)
                {
                    LogCheckFailed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var newest = await db.AccessChanges.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
        if (newest != _lastSeen)
        {
            cache.Invalidate();
            _lastSeen = newest;
        }
        cache.Confirm();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check for key access changes; cached keys will not be trusted")]
    static partial void LogCheckFailed(ILogger logger, Exception exception);
}
