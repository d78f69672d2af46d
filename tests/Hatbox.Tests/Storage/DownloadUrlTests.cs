using System.Net;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Features.Storage;
using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Hatbox.Tests.Storage;

/// <summary>
/// Signed download links. Only the links' own clock is fake (a keyed TimeProvider); the rest of the
/// server keeps real time, since a fake clock under its periodic timers would make them spin.
/// </summary>
public sealed class DownloadUrlTests : IAsyncLifetime
{
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    TestServer _server = null!;
    HttpClient _client = null!;
    StorageCalls _storage = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(
            new() { ["Server:PublicBaseUrl"] = "https://files.hatbox.test:9443/" },
            builder => builder.Services.AddKeyedSingleton<TimeProvider>(DownloadUrls.ClockKey, _clock));
        _client = _server.CreateClient();
        var tenant = await TestTenant.CreateAsync(_server);
        _storage = new StorageCalls(_client, tenant.ApiKey);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The link as handed out, re-aimed at the test server (the public base URL is configured to a name nobody serves).</summary>
    async Task<(JsonElement File, Uri Link)> UploadAsync(string name = "a.txt")
    {
        var file = await _storage.UploadOkAsync([1, 2, 3, 4], name);
        var url = new Uri(file.GetProperty("url").GetString()!);
        Assert.Equal("https://files.hatbox.test:9443", url.GetLeftPart(UriPartial.Authority));
        return (file, new Uri(_server.HttpsAddress, url.PathAndQuery));
    }

    [Fact]
    public async Task LinksUseTheConfiguredPublicBaseUrl()
    {
        var (file, _) = await UploadAsync();
        Assert.StartsWith("https://files.hatbox.test:9443/storage/download/", file.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGenuineLinkDownloadsUntilItExpiresAfterOneHour()
    {
        var (_, link) = await UploadAsync();

        _clock.Advance(TimeSpan.FromMinutes(59));
        using var stillValid = await _storage.DownloadAsync(link.ToString());
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(1));
        using var expired = await _storage.DownloadAsync(link.ToString());
        await ErrorAssert.IsErrorAsync(expired, HttpStatusCode.Forbidden, ErrorCodes.UrlExpired, ErrorTypes.Permission);
    }

    [Fact]
    public async Task AChangedCharacterInTheSignatureIsRefused()
    {
        var (_, link) = await UploadAsync();
        var text = link.ToString();
        var at = text.IndexOf("signature=", StringComparison.Ordinal) + "signature=".Length + 5;
        var tampered = text[..at] + (text[at] == 'A' ? 'B' : 'A') + text[(at + 1)..];

        using var response = await _storage.DownloadAsync(tampered);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task ALaterExpiryWithTheOldSignatureIsRefused()
    {
        var (_, link) = await UploadAsync();
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var later = long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture) + 86_400;

        using var response = await _storage.DownloadAsync($"{link.GetLeftPart(UriPartial.Path)}?expires={later}&signature={query["signature"]}");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task AnotherFilesIdUnderTheSameSignatureIsRefused()
    {
        var (_, first) = await UploadAsync("first.txt");
        var (second, _) = await UploadAsync("second.txt");
        var swapped = first.ToString().Replace(
            first.Segments[^1], second.GetProperty("id").GetString(), StringComparison.Ordinal);

        using var response = await _storage.DownloadAsync(swapped);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.InvalidSignature);
    }

    public enum Mangling
    {
        DropFirst, DropLast, DropMiddle, StrayStar, StrayStarAtEnd, OnePad, TwoPads, PercentEncodedPad,
        SpareBitsSet, StandardBase64Alphabet, Doubled, Space, Uppercase, Empty, NonAscii
    }

    /// <summary>Each a signature that a lenient decoder might take or choke on; every one must be a plain 403.</summary>
    [Theory]
    [InlineData(Mangling.DropFirst)]
    [InlineData(Mangling.DropLast)]
    [InlineData(Mangling.DropMiddle)]
    [InlineData(Mangling.StrayStar)]
    [InlineData(Mangling.StrayStarAtEnd)]
    [InlineData(Mangling.OnePad)]
    [InlineData(Mangling.TwoPads)]
    [InlineData(Mangling.PercentEncodedPad)]
    [InlineData(Mangling.SpareBitsSet)]
    [InlineData(Mangling.StandardBase64Alphabet)]
    [InlineData(Mangling.Doubled)]
    [InlineData(Mangling.Space)]
    [InlineData(Mangling.Uppercase)]
    [InlineData(Mangling.Empty)]
    [InlineData(Mangling.NonAscii)]
    public async Task AMalformedSignatureIsInvalidNeverAServerError(Mangling mangling)
    {
        var (_, link) = await UploadAsync();
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var signature = query["signature"]!;
        var mangled = mangling switch
        {
            Mangling.DropFirst => signature[1..],
            Mangling.DropLast => signature[..^1],
            Mangling.DropMiddle => signature[..20] + signature[21..],
            Mangling.StrayStar => signature[..10] + "*" + signature[10..],
            Mangling.StrayStarAtEnd => signature + "*",
            Mangling.OnePad => signature + "=",
            Mangling.TwoPads => signature + "==",
            Mangling.PercentEncodedPad => signature + "%3D",
            // 43 characters carry 258 bits for 256: the same bytes with a spare bit set is another spelling.
            Mangling.SpareBitsSet => signature[..^1] + SpareBitTwin(signature[^1]),
            Mangling.StandardBase64Alphabet => signature.Replace('-', '+').Replace('_', '/') is var standard && standard != signature
                ? Uri.EscapeDataString(standard) : signature[..^1] + "%2B",
            Mangling.Doubled => signature + signature,
            Mangling.Space => signature[..10] + "%20" + signature[10..],
            Mangling.Uppercase => signature.Any(char.IsAsciiLetterLower) ? signature.ToUpperInvariant() : signature.ToLowerInvariant(),
            Mangling.Empty => "",
            Mangling.NonAscii => signature[..^1] + "%C3%A9",
            _ => throw new ArgumentOutOfRangeException(nameof(mangling)),
        };

        using var response = await _storage.DownloadAsync($"{link.GetLeftPart(UriPartial.Path)}?expires={query["expires"]}&signature={mangled}");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.InvalidSignature, ErrorTypes.Permission);
    }

    [Fact]
    public async Task ASignatureGivenTwiceIsRefused()
    {
        var (_, link) = await UploadAsync();
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);

        using var response = await _storage.DownloadAsync($"{link}&signature={query["signature"]}");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.InvalidSignature);
    }

    /// <summary>The base64url character that differs from <paramref name="last"/> only in the two bits a 32-byte value leaves unused.</summary>
    static char SpareBitTwin(char last)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) ^ 1];
    }

    [Theory]
    [InlineData("")]
    [InlineData("?expires=99999999999")]
    [InlineData("?signature=abc")]
    [InlineData("?expires=-5&signature=abc")]
    public async Task ALinkWithoutItsSignatureOrExpiryIsRefused(string query)
    {
        var (_, link) = await UploadAsync();

        using var response = await _storage.DownloadAsync(link.GetLeftPart(UriPartial.Path) + query);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Forbidden, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task ALinkToADeletedFileIsNotFoundBeforeItExpires()
    {
        var (file, link) = await UploadAsync();
        using var deleted = await _storage.DeleteAsync(file.GetProperty("id").GetString()!);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);

        using var response = await _storage.DownloadAsync(link.ToString());

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
    }

    [Fact]
    public async Task TheSigningKeyIsMadeOnceAndReadableOnlyByTheServer()
    {
        await UploadAsync();
        var keyFile = Path.Combine(_server.DataDirectory, "secrets", "url-signing.key");

        Assert.Equal(32, Convert.FromBase64String(await File.ReadAllTextAsync(keyFile, Ct)).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }
}
