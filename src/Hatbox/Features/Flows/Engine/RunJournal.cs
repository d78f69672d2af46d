using System.Threading.Channels;
using Hatbox.Data;

namespace Hatbox.Features.Flows.Engine;

/// <summary>
/// Writes run state with group commit: every change that arrives while a transaction is being
/// written goes into the next one, and each caller resumes only after its change is committed.
/// A run never starts a step before the previous step's record is durable, yet many concurrent
/// runs share one fsync instead of paying one each.
/// </summary>
internal sealed partial class RunJournal : IAsyncDisposable
{
    const int MaxBatch = 256;
    readonly IServiceScopeFactory _scopes;
    readonly ILogger<RunJournal> _logger;
    readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writer;

    public RunJournal(IServiceScopeFactory scopes, ILogger<RunJournal> logger)
    {
        _scopes = scopes;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Applies <paramref name="change"/> in the next transaction and returns once that has committed.</summary>
    public Task CommitAsync(Func<HatboxDbContext, CancellationToken, Task> change)
    {
        var pending = new Pending(change, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);
        return pending.Done.Task;
    }

    /// <summary>As <see cref="CommitAsync(Func{HatboxDbContext, CancellationToken, Task})"/>, answering what the change returned in the committed transaction.</summary>
    public async Task<T> CommitAsync<T>(Func<HatboxDbContext, CancellationToken, Task<T>> change)
    {
        // A batch that fails is written again change by change: the value of the attempt that committed wins.
        T result = default!;
        await CommitAsync(async (db, ct) => { result = await change(db, ct); });
        return result;
    }

    async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                await WriteAsync(batch);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception) when (batch.Count > 1)
            {
                // One bad change must not fail its neighbours: write each on its own.
                foreach (var pending in batch)
                {
                    await WriteAloneAsync(pending);
                }
            }
            catch (Exception error)
            {
                batch[0].Done.TrySetException(error);
            }
            batch.Clear();
        }
    }

    async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            await WriteAsync([pending]);
            pending.Done.TrySetResult();
        }
        catch (Exception error)
        {
            LogWriteFailed(_logger, error);
            pending.Done.TrySetException(error);
        }
    }

    async Task WriteAsync(List<Pending> batch)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var pending in batch)
        {
            await pending.Change(db, CancellationToken.None);
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A flow run change could not be written")]
    private static partial void LogWriteFailed(ILogger logger, Exception error);

    sealed record Pending(Func<HatboxDbContext, CancellationToken, Task> Change, TaskCompletionSource Done);
}
