using System.Text;

namespace Hatbox.Tests.Telemetry;

/// <summary>
/// Just enough of the protobuf wire format to read spans out of an OTLP
/// <c>ExportTraceServiceRequest</c>: resource_spans (1) → scope_spans (2) → spans (2), and each span's
/// name (5) and string attributes (9: KeyValue key 1, AnyValue string_value 1).
/// </summary>
public static class OtlpTraces
{
    public static List<Dictionary<string, string>> Spans(byte[] request)
    {
        var spans = new List<Dictionary<string, string>>();
        foreach (var resourceSpans in Fields(request, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    var attributes = new Dictionary<string, string>();
                    foreach (var name in Fields(span, 5))
                    {
                        attributes["span.name"] = Encoding.UTF8.GetString(name);
                    }
                    foreach (var keyValue in Fields(span, 9))
                    {
                        var key = Fields(keyValue, 1).Select(k => Encoding.UTF8.GetString(k)).FirstOrDefault();
                        var value = Fields(keyValue, 2).SelectMany(v => Fields(v, 1)).Select(s => Encoding.UTF8.GetString(s)).FirstOrDefault();
                        if (key is not null && value is not null)
                        {
                            attributes[key] = value;
                        }
                    }
                    spans.Add(attributes);
                }
            }
        }
        return spans;
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of one message; other fields are skipped.</summary>
    static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var at = 0;
        while (at < message.Length)
        {
            var tag = Varint(message, ref at);
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    Varint(message, ref at);
                    break;
                case 1:
                    at += 8;
                    break;
                case 5:
                    at += 4;
                    break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    if ((int)(tag >> 3) == number)
                    {
                        found.Add(message[at..(at + length)]);
                    }
                    at += length;
                    break;
                default:
                    throw new InvalidDataException($"wire type {wireType} is not used by OTLP");
            }
        }
        return found;
    }

    static ulong Varint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
