using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Hatbox.Common.Binding;

/// <summary>
/// Decodes one key or value of an <c>application/x-www-form-urlencoded</c> body. Unlike
/// <c>WebUtility.UrlDecode</c>, which passes a stray <c>%</c> through and turns bad UTF-8 into
/// U+FFFD, it refuses both, so a client never has its data silently changed.
/// </summary>
internal static class StrictUrlDecoder
{
    private const int StackBufferSize = 256;

    /// <param name="raw">The encoded bytes: <c>+</c> is a space and <c>%XX</c> a byte in hex.</param>
    /// <param name="decoded">The text, when the bytes decode to valid UTF-8.</param>
    /// <param name="byteCount">The length of the decoded UTF-8, for the caller's limits.</param>
    public static bool TryDecode(ReadOnlySpan<byte> raw, [NotNullWhen(true)] out string? decoded, out int byteCount)
    {
        if (raw.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            return TryFinish(raw, out decoded, out byteCount);
        }

        decoded = null;
        byteCount = 0;
        byte[]? rented = null;
        var buffer = raw.Length <= StackBufferSize
            ? stackalloc byte[StackBufferSize]
            : rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var length = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                var b = raw[i];
                if (b == (byte)'+')
                {
                    b = (byte)' ';
                }
                else if (b == (byte)'%')
                {
                    if (i + 2 >= raw.Length)
                    {
                        return false;
                    }

                    var high = HexValue(raw[i + 1]);
                    var low = HexValue(raw[i + 2]);
                    if ((high | low) < 0)
                    {
                        return false;
                    }

                    b = (byte)((high << 4) | low);
                    i += 2;
                }

                buffer[length++] = b;
            }

            return TryFinish(buffer[..length], out decoded, out byteCount);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool TryFinish(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? decoded, out int byteCount)
    {
        byteCount = bytes.Length;
        decoded = Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;
        return decoded is not null;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
