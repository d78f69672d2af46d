using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Storage;

/// <summary>
/// Cleans up after a crash, once per start: a <c>kill -9</c> mid-upload leaves a <c>.part</c> file,
/// and one between the bytes landing and the row committing (or between a delete's row and its
/// bytes) leaves a blob with no row. Neither was ever visible; this removes them. Only files last
/// written before <paramref name="serverBuiltAt"/> are touched: the server was built before it
/// listened, so no upload in progress is older, whenever this runs. (The wall clock, not a
/// TimeProvider, because it is compared with the file system's timestamps.)
/// </summary>
internal sealed partial class OrphanSweeper(
    IBlobStore blobs, IServiceScopeFactory scopes, ILogger<OrphanSweeper> logger, DateTimeOffset serverBuiltAt,
    Common.Readiness.PlatformReadiness? readiness = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Common.Readiness.PlatformReadiness.WhenReadyAsync(readiness, stoppingToken);
        try
        {
            await SweepAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed cleanup must not stop the server (a BackgroundService's exception would); the
            // leftovers are invisible and the next start tries again.
            LogSweepFailed(logger, e);
        }
    }

    async Task SweepAsync(CancellationToken stoppingToken)
    {
        var incomplete = await blobs.RemoveIncompleteAsync(serverBuiltAt, stoppingToken);
        var orphans = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        await foreach (var key in blobs.ListAsync(serverBuiltAt, stoppingToken))
        {
            if (!await db.StoredFiles.AnyAsync(f => f.Id == key.BlobId && f.WorkspaceId == key.WorkspaceId, stoppingToken))
            {
                await blobs.DeleteAsync(key, stoppingToken);
                orphans++;
            }
        }
        if (incomplete + orphans > 0)
        {
            LogSwept(logger, incomplete, orphans);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Removed {IncompleteUploads} unfinished uploads and {OrphanedFiles} files without a row, left by an earlier crash")]
    static partial void LogSwept(ILogger logger, int incompleteUploads, int orphanedFiles);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping files left by an earlier crash failed")]
    static partial void LogSweepFailed(ILogger logger, Exception exception);
}
