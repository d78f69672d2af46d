using System.Collections.Concurrent;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// The threads that run tenant SQL. SQLite's calls are synchronous and a statement may take
/// seconds; on thread-pool threads, a few tenants' long statements starved every other request
/// (/health took 17 s in issue 17). Here they take their own threads, which the thread pool never
/// waits for: a request awaits its statement like any other I/O. <see cref="DbAdmission"/> keeps
/// the statements in flight at about the number of threads, fairly shared between organizations.
/// </summary>
internal sealed class SqliteThreads : IDisposable
{
    readonly BlockingCollection<Action> _work = [];
    readonly Thread[] _threads;

    public SqliteThreads(int count)
    {
        _threads = new Thread[count];
        for (var index = 0; index < count; index++)
        {
            _threads[index] = new Thread(Run) { IsBackground = true, Name = $"Hatbox SQL {index + 1}" };
            _threads[index].Start();
        }
    }

    // Statements running inline on request threads right now, at most one per core: each is held
    // to InlineBudget, so the thread pool never waits on tenant SQL for longer than that.
    readonly int _inlineLimit = Math.Max(1, Environment.ProcessorCount);
    int _inline;

    /// <summary>
    /// How long a read may run inline on the request's own thread before it is stopped and run
    /// again here: a point read takes ~10 µs, and the two hops to and from these threads cost
    /// several times that (issue 17: /db/query fell from 79% to 33% of bare SQLite with them).
    /// </summary>
    public static readonly TimeSpan InlineBudget = TimeSpan.FromMilliseconds(5);

    public int Count => _threads.Length;

    /// <summary>A slot to run one short statement inline, if one is free; hand it back with <see cref="LeaveInline"/>.</summary>
    public bool TryEnterInline()
    {
        if (Interlocked.Increment(ref _inline) <= _inlineLimit)
        {
            return true;
        }
        Interlocked.Decrement(ref _inline);
        return false;
    }

    public void LeaveInline() => Interlocked.Decrement(ref _inline);

    /// <summary>Runs <paramref name="work"/> on one of these threads; the continuation goes back to the thread pool.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        });
        return done.Task;
    }

    void Run()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }

    public void Dispose() => _work.CompleteAdding();
}
