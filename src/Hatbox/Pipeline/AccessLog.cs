using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Hatbox.Hosting;

namespace Hatbox.Pipeline;

/// <summary>
/// The one line per request: method, path, status, duration and request id, as a JSON line in the
/// shape of the other logs. It bypasses ILogger on purpose: through the console logger every line
/// cost a thread hand-off and write calls, a third of the CPU of a whole request (bench/README.md);
/// here a line is formatted on the request thread and appended to the buffered stdout.
/// Never a header, query string or body, so no key or secret reaches the log.
/// </summary>
/// <remarks>
/// The line has a fixed shape, so it is put together from UTF-8 pieces in a buffer kept per thread:
/// the property names as constants, the three strings quoted as JSON (<see cref="WriteQuoted"/>), and
/// handed to a <see cref="BufferedConsole"/> as bytes, with no allocation. A Utf8JsonWriter cost as much
/// again, checking the object's structure and escaping text that needs none. Any other writer gets
/// the line as a string.
/// </remarks>
internal sealed class AccessLog(TextWriter output, TimeProvider time)
{
    public const string Category = "Hatbox.AccessLog";

    /// <summary>The length of <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    internal const int TimestampLength = 24;

    /// <summary>Room for the constant parts of a line (~150 bytes), the timestamp and the numbers.</summary>
    const int FixedLength = 256;

    /// <summary>The longest a character becomes in quoted JSON (<c>\uXXXX</c>).</summary>
    const int MaxEscapedLength = 6;

    /// <summary>
    /// Characters JSON's default escaping leaves as they are (as Utf8JsonWriter would write them): the
    /// letters, digits and punctuation of paths, methods and request ids. Text with any other character
    /// is escaped by <see cref="JsonEncodedText"/>.
    /// </summary>
    static readonly SearchValues<char> Plain =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%!$()*,;=:@");

    [ThreadStatic]
    static ArrayBufferWriter<byte>? t_line;

    readonly BufferedConsole? _console = output as BufferedConsole;

    public void Write(string method, string path, int statusCode, TimeSpan duration, string requestId)
    {
        // Nothing is ever advanced, so GetSpan always gives the buffer from its start, grown to fit this line.
        var line = (t_line ??= new ArrayBufferWriter<byte>(512)).GetSpan(FixedLength + MaxEscapedLength * (method.Length + path.Length + requestId.Length));
        var length = Append(line, 0, "{\"Timestamp\":\""u8);
        FormatTimestamp(time.GetUtcNow().UtcDateTime, line[length..]);
        length += TimestampLength;
        length = AppendQuoted(line, length, "\",\"LogLevel\":\"Information\",\"Category\":\"Hatbox.AccessLog\",\"State\":{\"Method\":"u8, method);
        length = AppendQuoted(line, length, ",\"Path\":"u8, path);
        length = Append(line, length, ",\"StatusCode\":"u8);
        Utf8Formatter.TryFormat(statusCode, line[length..], out var written);
        length = Append(line, length + written, ",\"DurationMs\":"u8);
        length += FormatMilliseconds(duration, line[length..]);
        length = AppendQuoted(line, length, ",\"RequestId\":"u8, requestId);
        length = Append(line, length, "}}"u8);

        if (_console is not null)
        {
            _console.WriteUtf8Line(line[..length]);
        }
        else
        {
            output.WriteLine(Encoding.UTF8.GetString(line[..length]));
        }
    }

    static int Append(Span<byte> line, int length, ReadOnlySpan<byte> text)
    {
        text.CopyTo(line[length..]);
        return length + text.Length;
    }

    /// <summary>Appends <paramref name="name"/> (the text before a value) and <paramref name="value"/> quoted.</summary>
    static int AppendQuoted(Span<byte> line, int length, ReadOnlySpan<byte> name, string value)
    {
        length = Append(line, length, name);
        return length + WriteQuoted(value, line[length..]);
    }

    /// <summary>Writes <paramref name="text"/> as a JSON string, quotes included, escaped as Utf8JsonWriter escapes it.</summary>
    internal static int WriteQuoted(string text, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        int length;
        if (text.AsSpan().ContainsAnyExcept(Plain))
        {
            var escaped = JsonEncodedText.Encode(text).EncodedUtf8Bytes;
            escaped.CopyTo(destination[1..]);
            length = escaped.Length;
        }
        else
        {
            Ascii.FromUtf16(text, destination[1..], out length);
        }
        destination[length + 1] = (byte)'"';
        return length + 2;
    }

    /// <summary>
    /// Writes <paramref name="utc"/> as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, the other log lines' timestamp format,
    /// digit by digit: DateTime.ToString with a custom format parses the format on every call.
    /// </summary>
    internal static void FormatTimestamp(DateTime utc, Span<byte> destination)
    {
        utc.Deconstruct(out var date, out var timeOfDay);
        Digits(destination[0..4], date.Year);
        destination[4] = (byte)'-';
        Digits(destination[5..7], date.Month);
        destination[7] = (byte)'-';
        Digits(destination[8..10], date.Day);
        destination[10] = (byte)'T';
        Digits(destination[11..13], timeOfDay.Hour);
        destination[13] = (byte)':';
        Digits(destination[14..16], timeOfDay.Minute);
        destination[16] = (byte)':';
        Digits(destination[17..19], timeOfDay.Second);
        destination[19] = (byte)'.';
        Digits(destination[20..23], timeOfDay.Millisecond);
        destination[23] = (byte)'Z';
    }

    /// <summary>Room for a long's digits, the point and three decimals.</summary>
    internal const int MaxMillisecondsLength = 24;

    /// <summary>
    /// Writes <paramref name="duration"/> in milliseconds with three decimals (<c>1.234</c>), from whole
    /// microseconds: a double's shortest round-trip formatting cost more than the rest of the line.
    /// </summary>
    internal static int FormatMilliseconds(TimeSpan duration, Span<byte> destination)
    {
        var microseconds = Math.Max(0, duration.Ticks / TimeSpan.TicksPerMicrosecond);
        Utf8Formatter.TryFormat(microseconds / 1000, destination, out var length);
        destination[length] = (byte)'.';
        Digits(destination.Slice(length + 1, 3), (int)(microseconds % 1000));
        return length + 4;
    }

    /// <summary>Writes <paramref name="value"/> zero-padded to exactly the destination's length.</summary>
    static void Digits(Span<byte> destination, int value) =>
        Utf8Formatter.TryFormat(value, destination, out _, new StandardFormat('D', (byte)destination.Length));
}
