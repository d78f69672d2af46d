namespace Hatbox.Common.Binding;

internal static class BodyBytes
{
    /// <summary>
    /// Reads a stream to its end, or gives null as soon as it proves longer than
    /// <paramref name="maxBytes"/>, so an oversized body is never held whole.
    /// </summary>
    public static async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(
        Stream body, long? lengthHint, int maxBytes, CancellationToken ct)
    {
        maxBytes = Math.Min(maxBytes, Array.MaxLength - 1);
        if (lengthHint > maxBytes)
        {
            return null;
        }

        // One byte past a known length lets the read that sees the end fit without growing.
        var buffer = new byte[Math.Min((lengthHint ?? 4095) + 1, maxBytes + 1L)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
            }

            var read = await body.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                return buffer.AsMemory(0, length);
            }

            length += read;
        }
    }
}
