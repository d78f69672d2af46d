using Hatbox.Common;
using System.Data.Common;
using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Idempotency;

/// <summary>Deletes idempotency records past their 24 hours, once an hour.</summary>
internal sealed partial class IdempotencySweeper(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencySweeper> logger,
    Common.Readiness.PlatformReadiness? readiness = null) : PeriodicWorker(time, readiness)
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromHours(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var now = Time.GetUtcNow();
        try
        {
            await db.IdempotencyRecords.Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        }
        catch (DbException exception)
        {
            LogSweepFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete expired idempotency records; will retry in an hour")]
    static partial void LogSweepFailed(ILogger logger, Exception exception);
}
