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
/// A line is formatted as UTF-8 into a buffer and JSON writer kept per thread, and handed to a
/// <see cref="BufferedConsole"/> as bytes: no allocation per line, no string built only to be
/// encoded back. Any other writer gets the line as a string.
/// </remarks>
internal sealed class AccessLog(TextWriter output, TimeProvider time)
{
    public const string Category = "Hatbox.AccessLog";

    /// <summary>The length of <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    internal const int TimestampLength = 24;

    static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("Timestamp");
    static readonly JsonEncodedText LogLevelName = JsonEncodedText.Encode("LogLevel");
    static readonly JsonEncodedText Information = JsonEncodedText.Encode("Information");
    static readonly JsonEncodedText CategoryName = JsonEncodedText.Encode("Category");
    static readonly JsonEncodedText CategoryValue = JsonEncodedText.Encode(Category);
    static readonly JsonEncodedText StateName = JsonEncodedText.Encode("State");
    static readonly JsonEncodedText MethodName = JsonEncodedText.Encode("Method");
    static readonly JsonEncodedText PathName = JsonEncodedText.Encode("Path");
    static readonly JsonEncodedText StatusCodeName = JsonEncodedText.Encode("StatusCode");
    static readonly JsonEncodedText DurationMsName = JsonEncodedText.Encode("DurationMs");
    static readonly JsonEncodedText RequestIdName = JsonEncodedText.Encode("RequestId");

    [ThreadStatic]
    static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic]
    static Utf8JsonWriter? t_json;

    readonly BufferedConsole? _console = output as BufferedConsole;

    public void Write(string method, string path, int statusCode, TimeSpan duration, string requestId)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        Span<byte> timestamp = stackalloc byte[TimestampLength];
        FormatTimestamp(time.GetUtcNow().UtcDateTime, timestamp);
        Span<byte> milliseconds = stackalloc byte[MaxMillisecondsLength];
        var millisecondsLength = FormatMilliseconds(duration, milliseconds);

        json.WriteStartObject();
        json.WriteString(TimestampName, timestamp);
        json.WriteString(LogLevelName, Information);
        json.WriteString(CategoryName, CategoryValue);
        json.WriteStartObject(StateName);
        json.WriteString(MethodName, method);
        json.WriteString(PathName, path);
        json.WriteNumber(StatusCodeName, statusCode);
        json.WritePropertyName(DurationMsName);
        json.WriteRawValue(milliseconds[..millisecondsLength], skipInputValidation: true);
        json.WriteString(RequestIdName, requestId);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();

        if (_console is not null)
        {
            _console.WriteUtf8Line(buffer.WrittenSpan);
        }
        else
        {
            output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
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
