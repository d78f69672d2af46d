using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Hatbox.Hosting;

/// <summary>
/// Standard output through a 64 KiB buffer that is written out every 100 ms, not per line. The
/// access log writes a line per request; written one by one (a system call each, and a flush per
/// line by the console sink) it cost more CPU than serving the request (bench/README.md).
/// At most the last 100 ms of log lines are lost if the process is killed.
/// </summary>
internal sealed class BufferedConsole : TextWriter
{
    static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    readonly TextWriter _original = Console.Out;
    // File descriptor 1 as a plain file stream, not Console.OpenStandardOutput(): the console stream
    // locks Console.Out on first write, which deadlocks against a writer that holds that lock.
    readonly StreamWriter _writer = new(
        new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0),
        new UTF8Encoding(false), 64 * 1024)
    { AutoFlush = false };
    readonly Lock _gate = new();
    readonly Timer _timer;

    BufferedConsole()
    {
        _timer = new Timer(_ => FlushNow(), null, FlushInterval, FlushInterval);
        Console.SetOut(this);
    }

    public override Encoding Encoding => _writer.Encoding;

    /// <summary>Must run before the logging providers are built: console sinks keep the writer they find.</summary>
    public static BufferedConsole Install() => new();

    public override void Write(char value)
    {
        lock (_gate)
        {
            _writer.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _writer.Write(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            _writer.Write(buffer, index, count);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _writer.WriteLine(value);
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
            _writer.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer.Dispose();
            FlushNow();
            Console.SetOut(_original);
            _writer.Dispose();
        }
        base.Dispose(disposing);
    }
}
