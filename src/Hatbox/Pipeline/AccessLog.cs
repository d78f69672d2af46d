using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Hatbox.Pipeline;

/// <summary>
/// The one line per request: method, path, status, duration and request id, as a JSON line in the
/// shape of the other logs. It bypasses ILogger on purpose: through the console logger every line
/// cost a thread hand-off and write calls, a third of the CPU of a whole request (bench/README.md);
/// here a line is formatted on the request thread and appended to the buffered stdout.
/// Never a header, query string or body, so no key or secret reaches the log.
/// </summary>
internal sealed class AccessLog(TextWriter output, TimeProvider time)
{
    public const string Category = "Hatbox.AccessLog";

    [ThreadStatic]
    static ArrayBufferWriter<byte>? t_buffer;

    public void Write(string method, string path, int statusCode, double durationMs, string requestId)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("LogLevel", "Information");
            json.WriteString("Category", Category);
            json.WriteStartObject("State");
            json.WriteString("Method", method);
            json.WriteString("Path", path);
            json.WriteNumber("StatusCode", statusCode);
            json.WriteNumber("DurationMs", durationMs);
            json.WriteString("RequestId", requestId);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
