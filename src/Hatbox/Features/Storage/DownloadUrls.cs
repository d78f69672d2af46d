using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hatbox.Common.Errors;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Storage;

/// <summary>
/// Signed download URLs (reference/security.md §c.3): anyone holding one may download that one file
/// until it expires, with no API key. The signature is HMAC-SHA256 over the workspace, the file id
/// and the expiry, so changing any of them breaks it. Deleting the file ends every URL to it,
/// because the download looks the file up after checking the signature.
/// </summary>
/// <remarks>
/// The clock is a keyed <see cref="TimeProvider"/> (<see cref="ClockKey"/>) so tests can move this
/// clock alone; a fake clock for the whole server would make its periodic timers spin.
/// </remarks>
internal sealed class DownloadUrls(
    DownloadSigningKey key,
    PublicBaseUrl baseUrl,
    IOptions<StorageOptions> options,
    [FromKeyedServices(DownloadUrls.ClockKey)] TimeProvider clock)
{
    public const string ClockKey = "storage-download-urls";
    public const string RoutePrefix = "/storage/download";
    // Bumping the version ends every URL signed under the old scheme.
    const string Purpose = "hatbox.storage.download.v1";
    // 32 bytes of HMAC-SHA256 as unpadded base64url.
    const int SignatureChars = 43;

    public string Create(string workspaceId, string fileId)
    {
        var expires = clock.GetUtcNow().Add(options.Value.DownloadUrlLifetime).ToUnixTimeSeconds()
            .ToString(CultureInfo.InvariantCulture);
        var signature = Base64Url.EncodeToString(Sign(workspaceId, fileId, expires));
        return $"{baseUrl.Value}{RoutePrefix}/{workspaceId}/{fileId}?expires={expires}&signature={signature}";
    }

    /// <summary>
    /// Null when the URL is genuine and current; else the 403 to answer. Checks the signature before the clock.
    /// Parsing is strict: the signature must be exactly the unpadded base64url text this class writes
    /// (43 characters of the URL-safe alphabet), so no other spelling of the same bytes (padding, a
    /// stray character the decoder skips, non-zero spare bits) is ever accepted.
    /// </summary>
    public ApiError? Verify(string workspaceId, string fileId, string? expires, string? signature)
    {
        if (expires is not { Length: > 0 and <= 12 } || !expires.All(char.IsAsciiDigit)
            || signature is not { Length: SignatureChars } || !signature.All(IsBase64UrlChar))
        {
            return StorageErrors.InvalidSignature;
        }
        Span<byte> expected = stackalloc byte[SignatureChars];
        Base64Url.EncodeToUtf8(Sign(workspaceId, fileId, expires), expected);
        Span<byte> presented = stackalloc byte[SignatureChars];
        Encoding.ASCII.GetBytes(signature, presented);
        if (!CryptographicOperations.FixedTimeEquals(presented, expected))
        {
            return StorageErrors.InvalidSignature;
        }
        return long.Parse(expires, CultureInfo.InvariantCulture) <= clock.GetUtcNow().ToUnixTimeSeconds()
            ? StorageErrors.UrlExpired
            : null;
    }

    static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    byte[] Sign(string workspaceId, string fileId, string expires) =>
        HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes($"{Purpose}\n{workspaceId}\n{fileId}\n{expires}"));
}
