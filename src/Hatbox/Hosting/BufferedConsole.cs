using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Hatbox.Hosting;

/// <summary>
/// Standard output through a 64 KiB buffer that is written out every 100 ms, not per line. The
/// access log writes a line per request; written one by one (a system call each, and a flush per
/// line by the console sink) it cost more CPU than serving the request (bench/README.md).
/// At most the last 100 ms of log lines are lost if the process is killed.
/// </summary>
/// <remarks>
/// A full buffer is written out after the lock that request threads take to append is released, while
/// they go on filling a second buffer: under that lock, each write out (and the kernel's throttling of
/// a busy disk) would stall every request thread for its duration. A second lock, taken before the
/// first is released, keeps the buffers in the order they filled.
/// The buffer holds UTF-8 bytes, not characters, so that the access log can append a line it has
/// already formatted as UTF-8 (<see cref="WriteUtf8Line"/>) with one copy: no string to build, no
/// second encoding, and a shorter time holding the lock that every request thread takes.
/// </remarks>
internal sealed class BufferedConsole : TextWriter
{
    static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    const int BufferSize = 64 * 1024;
    // Enough room for the encoder to write at least one character (a UTF-8 scalar is at most 4 bytes,
    // plus a replacement for a dangling surrogate) before it is asked to convert more.
    const int MinimumRoom = 16;

    // The line break as bytes, for lines that come as UTF-8: the encoder is for text that comes as characters.
    static readonly byte[] NewLineUtf8 = Encoding.UTF8.GetBytes(Environment.NewLine);

    readonly TextWriter? _original;
    readonly Stream _output;
    byte[] _buffer = new byte[BufferSize];
    // The buffer last handed out to be written; free again once _writing is released.
    byte[] _spare = new byte[BufferSize];
    int _count;
    readonly Lock _writing = new();
    readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();
    readonly Lock _gate = new();
    readonly Timer? _timer;

    BufferedConsole()
        // File descriptor 1 as a plain file stream, not Console.OpenStandardOutput(): the console stream
        // locks Console.Out on first write, which deadlocks against a writer that holds that lock.
        : this(new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0))
    {
        _original = Console.Out;
        _timer = new Timer(_ => FlushNow(), null, FlushInterval, FlushInterval);
        Console.SetOut(this);
    }

    /// <summary>A buffered writer onto <paramref name="output"/>, flushed only by <see cref="FlushNow"/> (tests).</summary>
    internal BufferedConsole(Stream output) => _output = output;

    public override Encoding Encoding { get; } = new UTF8Encoding(false);

    /// <summary>Must run before the logging providers are built: console sinks keep the writer they find.</summary>
    public static BufferedConsole Install() => new();

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            Append(buffer);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            Append(value);
            Append(CoreNewLine);
        }
    }

    /// <summary>Appends a line that is already UTF-8 (without its line break), as one piece.</summary>
    public void WriteUtf8Line(ReadOnlySpan<byte> utf8)
    {
        var full = default(HandedOut);
        lock (_gate)
        {
            if (utf8.Length + NewLineUtf8.Length > BufferSize)
            {
                WriteOut();
                lock (_writing)
                {
                    _output.Write(utf8);
                    _output.Write(NewLineUtf8);
                }
                return;
            }
            if (utf8.Length + NewLineUtf8.Length > BufferSize - _count)
            {
                full = HandOut();
            }
            utf8.CopyTo(_buffer.AsSpan(_count));
            _count += utf8.Length;
            NewLineUtf8.CopyTo(_buffer.AsSpan(_count));
            _count += NewLineUtf8.Length;
        }
        WriteHandedOut(full);
    }

    /// <summary>Writers call this after every line; the timer does the real flushing.</summary>
    public override void Flush()
    {
    }

    public void FlushNow()
    {
        var full = default(HandedOut);
        lock (_gate)
        {
            if (_count > 0)
            {
                full = HandOut();
            }
        }
        WriteHandedOut(full);
    }

    /// <summary>Encodes <paramref name="chars"/> into the buffer, writing the buffer out whenever it fills. Under the lock.</summary>
    void Append(ReadOnlySpan<char> chars)
    {
        while (!chars.IsEmpty)
        {
            if (BufferSize - _count < MinimumRoom)
            {
                WriteOut();
            }
            // flush: false keeps a surrogate pair split across two writes together.
            _encoder.Convert(chars, _buffer.AsSpan(_count), flush: false, out var charsUsed, out var bytesUsed, out _);
            _count += bytesUsed;
            chars = chars[charsUsed..];
        }
    }

    /// <summary>Writes the buffer out while holding the lock; for text, which fills it rarely.</summary>
    void WriteOut()
    {
        if (_count > 0)
        {
            WriteHandedOut(HandOut());
        }
    }

    readonly record struct HandedOut(byte[]? Buffer, int Count);

    /// <summary>
    /// Under <see cref="_gate"/>: swaps in the spare buffer and returns the full one, to be passed to
    /// <see cref="WriteHandedOut"/>. Takes <see cref="_writing"/> first, which waits for the spare's
    /// own write to end and keeps the next hand-out from overtaking this one.
    /// </summary>
    HandedOut HandOut()
    {
        _writing.Enter();
        var full = new HandedOut(_buffer, _count);
        (_buffer, _spare) = (_spare, _buffer);
        _count = 0;
        return full;
    }

    void WriteHandedOut(HandedOut full)
    {
        if (full.Buffer is null)
        {
            return;
        }
        try
        {
            _output.Write(full.Buffer, 0, full.Count);
        }
        finally
        {
            _writing.Exit();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer?.Dispose();
            lock (_gate)
            {
                // Whatever the encoder still holds (half a surrogate pair) goes out too.
                if (BufferSize - _count < MinimumRoom)
                {
                    WriteOut();
                }
                _encoder.Convert([], _buffer.AsSpan(_count), flush: true, out _, out var bytesUsed, out _);
                _count += bytesUsed;
                WriteOut();
            }
            if (_original is not null)
            {
                Console.SetOut(_original);
                _output.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
