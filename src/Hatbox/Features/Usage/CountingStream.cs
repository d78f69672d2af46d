namespace Hatbox.Features.Usage;

/// <summary>
/// A stream that counts the bytes read from or written to the one it wraps, for metering; writes
/// and flushes first wait for <paramref name="beforeWrite"/> when given (a billed answer's count being synced).
/// </summary>
internal sealed class CountingStream(Stream inner, Action<long>? wrote = null, Func<Task>? beforeWrite = null) : Stream
{
    long _read;

    /// <summary>Bytes read so far.</summary>
    public long Count => Volatile.Read(ref _read);

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        beforeWrite?.Invoke().GetAwaiter().GetResult();
        wrote?.Invoke(count);
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        beforeWrite?.Invoke().GetAwaiter().GetResult();
        wrote?.Invoke(buffer.Length);
        inner.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (beforeWrite?.Invoke() is { IsCompleted: false } sync)
        {
            return WriteAfterAsync(sync, buffer, cancellationToken);
        }
        wrote?.Invoke(buffer.Length);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    async ValueTask WriteAfterAsync(Task before, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await before;
        wrote?.Invoke(buffer.Length);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        beforeWrite?.Invoke().GetAwaiter().GetResult();
        inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (beforeWrite is not null)
        {
            await beforeWrite();
        }
        await inner.FlushAsync(cancellationToken);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    int Counted(int read)
    {
        Interlocked.Add(ref _read, read);
        return read;
    }
}
