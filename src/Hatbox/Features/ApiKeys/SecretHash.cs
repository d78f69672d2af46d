using System.Buffers.Binary;

namespace Hatbox.Features.ApiKeys;

/// <summary>A SHA-256 digest as four words: a cheap dictionary key for the verified-key cache.</summary>
internal readonly record struct SecretHash(ulong A, ulong B, ulong C, ulong D)
{
    public static SecretHash From(ReadOnlySpan<byte> digest) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(digest),
        BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(digest[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(digest[24..]));

    public byte[] ToBytes()
    {
        var bytes = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, A);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), B);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), C);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), D);
        return bytes;
    }
}
