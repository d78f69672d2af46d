using Hatbox.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Flows.Engine;

/// <summary>Deletes finished runs (and their step records) older than <see cref="FlowOptions.HistoryDays"/>, hourly.</summary>
internal sealed partial class RunHistorySweeper(IServiceScopeFactory scopes, IOptions<FlowOptions> options, TimeProvider time, ILogger<RunHistorySweeper> logger,
    Common.Readiness.PlatformReadiness? readiness = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Common.Readiness.PlatformReadiness.WhenReadyAsync(readiness, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogSweepFailed(logger, error);
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var before = time.GetUtcNow().AddDays(-options.Value.HistoryDays);
        var old = db.FlowRuns.Where(r => r.Status != RunStatus.InProgress && r.CreatedAt < before);
        await db.FlowRunSteps.Where(s => old.Any(r => r.Id == s.RunId)).ExecuteDeleteAsync(cancellationToken);
        return await old.ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping old flow runs failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
