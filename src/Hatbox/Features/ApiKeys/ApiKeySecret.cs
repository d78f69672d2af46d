using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// The key format of DESIGN.md §4: <c>wh_live_&lt;30 base62&gt;_&lt;6 base62 CRC-32&gt;</c>.
/// The checksum lets us refuse a mistyped or invented key without touching the database; the
/// 30 random characters (≈178 bits) are what makes it secret.
/// </summary>
internal static class ApiKeySecret
{
    public const string Prefix = "wh_live_";
    const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const int RandomLength = 30;
    const int ChecksumLength = 6;
    public const int Length = 8 + RandomLength + 1 + ChecksumLength;

    public static string Generate()
    {
        var body = Prefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);
        return body + "_" + Checksum(body);
    }

    /// <summary>Format and checksum only; says nothing about whether the key exists.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Length - ChecksumLength - 1] != '_')
        {
            return false;
        }
        var body = key[..(Length - ChecksumLength - 1)];
        foreach (var c in body[Prefix.Length..])
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }
        Span<char> expected = stackalloc char[ChecksumLength];
        WriteChecksum(body, expected);
        return key[^ChecksumLength..].SequenceEqual(expected);
    }

    public static SecretHash Hash(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[Length];
        var written = Encoding.ASCII.GetBytes(key, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        // A hasher kept per thread: SHA256.HashData sets up OpenSSL's digest context on every call,
        // which costs more than hashing 45 bytes (0.6 µs against 0.35 µs here).
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(utf8[..written]);
        sha256.GetHashAndReset(digest);
        return SecretHash.From(digest);
    }

    [ThreadStatic] static IncrementalHash? t_sha256;

    /// <summary>What lists show: the prefix and the last four characters.</summary>
    public static string Hint(string key) => $"{Prefix}…{key[^4..]}";

    static string Checksum(ReadOnlySpan<char> body)
    {
        Span<char> checksum = stackalloc char[ChecksumLength];
        WriteChecksum(body, checksum);
        return new string(checksum);
    }

    static void WriteChecksum(ReadOnlySpan<char> body, Span<char> destination)
    {
        Span<byte> utf8 = stackalloc byte[body.Length];
        Encoding.ASCII.GetBytes(body, utf8);
        var value = (ulong)Crc32.HashToUInt32(utf8);
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
    }
}
