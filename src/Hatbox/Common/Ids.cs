using System.Security.Cryptography;

namespace Hatbox.Common;

/// <summary>Opaque public ids: a type prefix and random base62 (<c>req_8Kq…</c>, <c>ws_…</c>).</summary>
internal static class Ids
{
    const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const int RandomLength = 24;

    /// <summary>An id nobody can guess, for anything that names stored data (<c>ws_…</c>, <c>key_…</c>).</summary>
    public static string New(string prefix) => Create(prefix, cryptographic: true);

    /// <summary>
    /// A request id (<c>req_…</c>): 143 random bits from the fast shared generator. It only has to be
    /// unique, and the cryptographic one was a measurable part of a request's CPU.
    /// </summary>
    public static string NewRequestId() => Create("req", cryptographic: false);

    static string Create(string prefix, bool cryptographic) => string.Create(prefix.Length + 1 + RandomLength, (prefix, cryptographic), static (span, state) =>
    {
        var (prefix, cryptographic) = state;
        prefix.CopyTo(span);
        span[prefix.Length] = '_';
        Span<byte> random = stackalloc byte[RandomLength];
        if (cryptographic)
        {
            RandomNumberGenerator.Fill(random);
        }
        else
        {
            Random.Shared.NextBytes(random);
        }
        // 256 % 62 leaves a slight bias toward the first eight symbols; harmless for identifiers,
        // which need uniqueness, not secrecy. Secrets have their own unbiased generator.
        for (var i = 0; i < RandomLength; i++)
        {
            span[prefix.Length + 1 + i] = Alphabet[random[i] % Alphabet.Length];
        }
    });
}
