namespace Hatbox.Tests.Storage;

/// <summary>
/// A long, non-repeating-looking body made on the fly, so a test can send tens of megabytes without
/// holding them: the client's memory must not hide the server's. Optionally pauses after a number
/// of bytes until released, to catch an upload mid-stream.
/// </summary>
internal sealed class PatternStream(long length, long pauseAfter = long.MaxValue) : Stream
{
    readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
    long _position;

    /// <summary>The byte at a position: the same function the test uses to check what came back.</summary>
    public static byte At(long position) => (byte)((position * 2654435761L) >> 13);

    public void Resume() => _resume.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= pauseAfter)
        {
            await _resume.Task.WaitAsync(cancellationToken);
        }
        var count = (int)Math.Min(buffer.Length, Math.Min(length, pauseAfter <= _position ? length : pauseAfter) - _position);
        var span = buffer.Span;
        for (var i = 0; i < count; i++)
        {
            span[i] = At(_position + i);
        }
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
