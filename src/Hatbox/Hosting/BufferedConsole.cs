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
/// The buffer holds UTF-8 bytes, not characters, so that the access log can append a line it has
/// already formatted as UTF-8 (<see cref="WriteUtf8Line"/>) with one copy: no string to build, no
/// second encoding, and a shorter time holding the lock that every request thread takes.
/// </remarks>
internal sealed class BufferedConsole : TextWriter
{
    static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    // Enough room for the encoder to write at least one character (a UTF-8 scalar is at most 4 bytes,
    // plus a replacement for a dangling surrogate) before it is asked to convert more.
    const int MinimumRoom = 16;

    // The line break as bytes, for lines that come as UTF-8: the encoder is for text that comes as characters.
    static readonly byte[] NewLineUtf8 = Encoding.UTF8.GetBytes(Environment.NewLine);

    readonly TextWriter? _original;
    readonly Stream _output;
    readonly byte[] _buffer = new byte[64 * 1024];
    int _count;
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
        lock (_gate)
        {
            if (utf8.Length + NewLineUtf8.Length > _buffer.Length - _count)
            {
                WriteOut();
            }
            if (utf8.Length + NewLineUtf8.Length > _buffer.Length)
            {
                _output.Write(utf8);
                _output.Write(NewLineUtf8);
                return;
            }
            utf8.CopyTo(_buffer.AsSpan(_count));
            _count += utf8.Length;
            NewLineUtf8.CopyTo(_buffer.AsSpan(_count));
            _count += NewLineUtf8.Length;
        }
    }

    /// <summary>Writers call this after every line; the timer does the real flushing.</summary>
    public override void Flush()
    {
    }

    public void FlushNow()
    {
        lock (_gate)
        {
            WriteOut();
        }
    }

    /// <summary>Encodes <paramref name="chars"/> into the buffer, writing the buffer out whenever it fills. Under the lock.</summary>
    void Append(ReadOnlySpan<char> chars)
    {
        while (!chars.IsEmpty)
        {
            if (_buffer.Length - _count < MinimumRoom)
            {
                WriteOut();
            }
            // flush: false keeps a surrogate pair split across two writes together.
            _encoder.Convert(chars, _buffer.AsSpan(_count), flush: false, out var charsUsed, out var bytesUsed, out _);
            _count += bytesUsed;
            chars = chars[charsUsed..];
        }
    }

    void WriteOut()
    {
        if (_count > 0)
        {
            _output.Write(_buffer, 0, _count);
            _count = 0;
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
                if (_buffer.Length - _count < MinimumRoom)
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
