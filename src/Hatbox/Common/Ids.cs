using System.Security.Cryptography;

namespace Hatbox.Common;

/// <summary>Opaque public ids: a type prefix and random base62 (<c>req_8Kq…</c>, <c>ws_…</c>).</summary>
internal static class Ids
{
    const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const int RandomLength = 24;

    public static string New(string prefix) => string.Create(prefix.Length + 1 + RandomLength, prefix, static (span, prefix) =>
    {
        prefix.CopyTo(span);
        span[prefix.Length] = '_';
        Span<byte> random = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(random);
        // 256 % 62 leaves a slight bias toward the first eight symbols; harmless for identifiers,
        // which need uniqueness, not secrecy. Secrets have their own unbiased generator.
        for (var i = 0; i < RandomLength; i++)
        {
            span[prefix.Length + 1 + i] = Alphabet[random[i] % Alphabet.Length];
        }
    });
}
