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

    public int Count => _threads.Length;

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
