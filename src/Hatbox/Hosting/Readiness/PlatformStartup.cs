using System.Data.Common;
using System.Diagnostics;
using Hatbox.Common.Errors;
using Hatbox.Common.Readiness;
using Hatbox.Data;

namespace Hatbox.Hosting.Readiness;

/// <summary>
/// Makes the node ready: migrates the platform database, runs the start-up steps, then opens the
/// gate (<see cref="PlatformReadiness"/>). When the store answers at start this happens before the
/// node listens, as it always did. On PostgreSQL, when it does not (down, failing over, or another
/// node is migrating it), the node listens anyway, answers <c>503</c>, and this retries in the
/// background with backoff until it works, without a restart. Embedded SQLite is a file beside the
/// process: a failure there does not heal by waiting, and fails the start.
/// </summary>
internal sealed partial class PlatformStartup(
    IServiceProvider services, PlatformDatabase database, PlatformReadiness readiness, IEnumerable<IPlatformStartupStep> steps,
    IHostApplicationLifetime lifetime, TimeProvider time, ILogger<PlatformStartup> logger) : IHostedService, IDisposable
{
    static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    // Short enough that a node is ready seconds after its store is back; each attempt is one connection.
    static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(3);
    // A store down for an hour logs about sixty lines, not thousands.
    static readonly TimeSpan RepeatLogAfter = TimeSpan.FromMinutes(1);

    readonly IPlatformStartupStep[] _steps = [.. steps];
    readonly CancellationTokenSource _stopping = new();
    int _stepsDone;
    Task _retrying = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            await StartOnceAsync(waitForOtherNodes: true, cancellationToken);
            return;
        }
        // Not waiting on a peer's migration lock, nor the full connect timeout of an unreachable host:
        // the node is to listen at once whatever the store is doing.
        var first = await NotAnsweringAsync(cancellationToken) ?? await TryOnceAsync(waitForOtherNodes: false, cancellationToken);
        if (first is not null)
        {
            LogNotReady(logger, first);
            _retrying = Task.Run(() => RetryUntilReadyAsync(first, _stopping.Token), CancellationToken.None);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    async Task RetryUntilReadyAsync(string firstFailure, CancellationToken stopping)
    {
        var waited = Stopwatch.StartNew();
        var lastLogged = waited.Elapsed;
        var lastFailure = firstFailure;
        var delay = FirstRetry;
        for (var attempt = 2; ; attempt++)
        {
            try
            {
                await Task.Delay(delay, time, stopping);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
                var failure = await TryOnceAsync(waitForOtherNodes: true, stopping);
                var seconds = Math.Round(waited.Elapsed.TotalSeconds, 1);
                if (failure is null)
                {
                    LogReady(logger, attempt, seconds);
                    return;
                }
                if (failure != lastFailure || waited.Elapsed - lastLogged >= RepeatLogAfter)
                {
                    LogStillNotReady(logger, attempt, seconds, failure);
                    lastLogged = waited.Elapsed;
                    lastFailure = failure;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Not a store that is away but a fault of ours: a node that can never be ready stops,
                // as a failing start always did, rather than answer 503 forever.
                LogStartupFailed(logger, e);
                lifetime.StopApplication();
                return;
            }
        }
    }

    /// <summary>One attempt; the reason it did not work if the store was away, null once ready.</summary>
    async Task<string?> TryOnceAsync(bool waitForOtherNodes, CancellationToken cancellationToken)
    {
        try
        {
            return await StartOnceAsync(waitForOtherNodes, cancellationToken) ? null : "another node is migrating the platform database";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsStoreAway(e))
        {
            return Reason(e);
        }
    }

    /// <summary>Migrates (unless done already), runs the steps not yet done, opens the gate. False: another node holds the migration lock.</summary>
    async Task<bool> StartOnceAsync(bool waitForOtherNodes, CancellationToken cancellationToken)
    {
        if (!readiness.IsMigrated && !await PlatformDatabaseMigrator.TryMigrateAsync(services, waitForOtherNodes, cancellationToken))
        {
            return false;
        }
        for (; _stepsDone < _steps.Length; _stepsDone++)
        {
            await _steps[_stepsDone].RunAsync(cancellationToken);
        }
        readiness.MarkReady();
        return true;
    }

    /// <summary>Why the store does not answer a connection within the probe's short timeout; null when it does.</summary>
    async Task<string?> NotAnsweringAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = database.CreateProbeConnection();
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (Exception e) when (IsStoreAway(e))
        {
            return Reason(e);
        }
    }

    static string Reason(Exception e) => $"{e.GetType().Name}: {e.Message}";

    // What a PostgreSQL that is down, restarting, failing over or refusing connections throws: Npgsql's
    // own exceptions (a server error such as "the database system is starting up" included), timeouts,
    // and EF Core's execution-strategy wrapper around them.
    static bool IsStoreAway(Exception e) =>
        e is DbException or TimeoutException or System.Net.Sockets.SocketException || StoreOutage.StoreOf(e) is not null;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The platform store is not ready at start ({Reason}); answering 503 and retrying in the background")]
    static partial void LogNotReady(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The platform store is still not ready after {Attempts} attempts in {Seconds} s ({Reason})")]
    static partial void LogStillNotReady(ILogger logger, int attempts, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The platform store is ready after {Attempts} attempts in {Seconds} s; serving")]
    static partial void LogReady(ILogger logger, int attempts, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The node cannot become ready; stopping")]
    static partial void LogStartupFailed(ILogger logger, Exception exception);
}
