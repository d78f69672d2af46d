using Hatbox.Common;
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
    IServiceScopeFactory scopes, ApiKeyCache cache, TimeProvider time, ILogger<AccessChangeWatcher> logger,
    Common.Readiness.PlatformReadiness? readiness = null) : PeriodicWorker(time, readiness)
{
    long _lastSeen = -1;

    protected override TimeSpan Interval { get; } = TimeSpan.FromMilliseconds(250);

    protected override bool RunAtStart => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CheckAsync(cancellationToken);
        }
        catch (DbException exception)
        {
            LogCheckFailed(logger, exception);
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
