using Hatbox.Common;

namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// The connections of one tenant database: one writer, used by one statement at a time (SQLite
/// allows one writer; this is the only lock, and it is per database), and up to
/// <see cref="DbOptions.MaxReadersPerDatabase"/> readers that run beside it under WAL. Until the
/// file exists, readers are empty in-memory databases, so reads and refusals create nothing.
/// </summary>
internal sealed class SqliteConnectionPool(string path, DbOptions options, TimeProvider time) : IDisposable
{
    readonly SemaphoreSlim _writerTurn = new(1, 1);
    readonly SemaphoreSlim _readerSlots = new(options.MaxReadersPerDatabase, options.MaxReadersPerDatabase);
    readonly Stack<SqliteTenantConnection> _idleReaders = new();
    SqliteTenantConnection? _writer;
    bool _exists;
    bool _disposed;

    /// <summary>Whether the file has been created; once it has, it stays (databases are never dropped).</summary>
    public bool FileExists => _exists || (_exists = File.Exists(path));

    public async ValueTask<Outcome<ConnectionLease>> RentReaderAsync(CancellationToken cancellationToken)
    {
        if (!await _readerSlots.WaitAsync(options.QueryTimeout, cancellationToken))
        {
            return DbErrors.Busy();
        }
        try
        {
            if (!FileExists)
            {
                return new ConnectionLease(this, SqliteTenantConnection.Open(path, SqliteConnectionKind.Empty, options));
            }
            SqliteTenantConnection? idle = null;
            lock (_idleReaders)
            {
                _idleReaders.TryPop(out idle);
            }
            return new ConnectionLease(this, idle ?? SqliteTenantConnection.Open(path, SqliteConnectionKind.Reader, options));
        }
        catch
        {
            _readerSlots.Release();
            throw;
        }
    }

    /// <summary>Waits for the writer's turn (at most the query timeout), creating the file and its folder on first use.</summary>
    public async ValueTask<Outcome<ConnectionLease>> RentWriterAsync(CancellationToken cancellationToken)
    {
        if (!await _writerTurn.WaitAsync(options.QueryTimeout, cancellationToken))
        {
            return DbErrors.Busy();
        }
        try
        {
            if (_writer is null)
            {
                DiskSync.CreateFolder(Path.GetDirectoryName(path)!);
                _writer = SqliteTenantConnection.Open(path, SqliteConnectionKind.Writer, options);
                _exists = true;
            }
            return new ConnectionLease(this, _writer);
        }
        catch
        {
            _writerTurn.Release();
            throw;
        }
    }

    void Return(SqliteTenantConnection connection)
    {
        connection.LastUsed = time.GetTimestamp();
        if (connection.Kind == SqliteConnectionKind.Writer)
        {
            if (!connection.IsClean || _disposed)
            {
                connection.Dispose();
                _writer = null;
            }
            _writerTurn.Release();
            return;
        }
        var keep = connection.Kind == SqliteConnectionKind.Reader && connection.IsClean;
        lock (_idleReaders)
        {
            keep &= !_disposed;
            if (keep)
            {
                _idleReaders.Push(connection);
            }
        }
        if (!keep)
        {
            connection.Dispose();
        }
        _readerSlots.Release();
    }

    /// <summary>Closes connections unused for <paramref name="idle"/>; never one in use.</summary>
    public void CloseIdle(TimeSpan idle)
    {
        var now = time.GetTimestamp();
        bool IsIdle(SqliteTenantConnection c) => time.GetElapsedTime(c.LastUsed, now) >= idle;
        var closing = new List<SqliteTenantConnection>();
        lock (_idleReaders)
        {
            var kept = _idleReaders.Where(c => !IsIdle(c)).Reverse().ToList();
            closing.AddRange(_idleReaders.Where(IsIdle));
            _idleReaders.Clear();
            kept.ForEach(_idleReaders.Push);
        }
        if (_writer is not null && _writerTurn.Wait(0))
        {
            if (_writer is { } writer && IsIdle(writer))
            {
                closing.Add(writer);
                _writer = null;
            }
            _writerTurn.Release();
        }
        closing.ForEach(c => c.Dispose());
    }

    public void Dispose()
    {
        lock (_idleReaders)
        {
            _disposed = true;
            while (_idleReaders.TryPop(out var reader))
            {
                reader.Dispose();
            }
        }
        // A statement still running keeps the writer; it is closed when that statement returns it.
        if (_writerTurn.Wait(0))
        {
            _writer?.Dispose();
            _writer = null;
            _writerTurn.Release();
        }
    }

    /// <summary>A connection on loan for one statement; disposing gives it back.</summary>
    internal readonly struct ConnectionLease(SqliteConnectionPool pool, SqliteTenantConnection connection) : IDisposable
    {
        public SqliteTenantConnection Connection => connection;

        public void Dispose() => pool.Return(connection);
    }
}
