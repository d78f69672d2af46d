using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Hosting;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Storage;

public sealed class StorageApiTests() : ServerTest
{
    TestTenant _tenant = null!;
    StorageCalls _storage = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _tenant = await TestTenant.CreateAsync(Server);
        _storage = new StorageCalls(Http, _tenant.ApiKey);
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUploadAnswersTheSdksFileObjectWithASignedUrl()
    {
        var bytes = Encoding.UTF8.GetBytes("hello, storage");

        var file = await _storage.UploadOkAsync(bytes, "hello.txt", "documents/notes/");

        Assert.StartsWith("file_", file.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("hello.txt", file.GetProperty("filename").GetString());
        Assert.Equal("documents/notes/hello.txt", file.GetProperty("path").GetString());
        Assert.Equal(bytes.Length, file.GetProperty("size").GetInt64());
        Assert.Equal("text/plain", file.GetProperty("contentType").GetString());
        Assert.True(file.GetProperty("uploadedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        var url = new Uri(file.GetProperty("url").GetString()!);
        Assert.Equal(Server.HttpsAddress.GetLeftPart(UriPartial.Authority), url.GetLeftPart(UriPartial.Authority));
        Assert.Contains("signature=", url.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileCanBeFetchedByIdAndByPathAndDownloadedWithoutAKey()
    {
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var uploaded = await _storage.UploadOkAsync(bytes, "report.pdf", "invoices/2025", contentType: "application/pdf");
        var id = uploaded.GetProperty("id").GetString()!;

        using var byId = await _storage.FetchAsync(id);
        var fetched = await StorageCalls.FileOfAsync(byId);
        using var byPath = await _storage.FetchByPathAsync("invoices/2025/report.pdf");
        var fetchedByPath = await StorageCalls.FileOfAsync(byPath);

        foreach (var file in new[] { fetched, fetchedByPath })
        {
            Assert.Equal(id, file.GetProperty("id").GetString());
            Assert.Equal("invoices/2025/report.pdf", file.GetProperty("path").GetString());
            Assert.Equal(uploaded.GetProperty("uploadedAt").GetString(), file.GetProperty("uploadedAt").GetString());
            Assert.Equal("application/pdf", file.GetProperty("contentType").GetString());
        }
        using var download = await _storage.DownloadAsync(fetched.GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ADownloadIsAnAttachmentThatIsNeverSniffedOrRenderedAndCarriesItsSha256AsETag()
    {
        var bytes = Encoding.UTF8.GetBytes("<script>alert(1)</script>");
        var file = await _storage.UploadOkAsync(bytes, "page.html", contentType: "text/html");

        using var download = await _storage.DownloadAsync(file.GetProperty("url").GetString()!);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("page.html", disposition.FileNameStar ?? disposition.FileName?.Trim('"'));
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("private", download.Headers.CacheControl!.ToString());
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"", download.Headers.ETag!.Tag);
        Assert.Equal("bytes", download.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task ADownloadServesARangeRequest()
    {
        var bytes = RandomNumberGenerator.GetBytes(5000);
        var file = await _storage.UploadOkAsync(bytes, "data.bin", contentType: "application/octet-stream");

        using var partial = await _storage.DownloadAsync(file.GetProperty("url").GetString()!,
            request => request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999));

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[1000..2000], await partial.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(5000, partial.Content.Headers.ContentRange!.Length);
    }

    [Fact]
    public async Task AHeadRequestOnALinkAnswersTheHeadersWithoutTheBytes()
    {
        var file = await _storage.UploadOkAsync(new byte[3000], "head.bin");

        using var request = new HttpRequestMessage(HttpMethod.Head, file.GetProperty("url").GetString());
        using var response = await Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3000, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task ANonAsciiFileNameIsKeptAndSafelyEncodedInContentDisposition()
    {
        var file = await _storage.UploadOkAsync([1, 2, 3], "résumé final.pdf");
        Assert.Equal("résumé final.pdf", file.GetProperty("filename").GetString());

        using var download = await _storage.DownloadAsync(file.GetProperty("url").GetString()!);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var header = download.Content.Headers.GetValues("Content-Disposition").Single();
        Assert.True(header.All(c => c is >= ' ' and <= '~'), header);
        Assert.Equal("résumé final.pdf", download.Content.Headers.ContentDisposition!.FileNameStar);
    }

    [Fact]
    public async Task AFileNameWithQuotesSentAsFilenameStarComesBackQuotedSafely()
    {
        using var content = new ByteArrayContent([1]);
        content.Headers.TryAddWithoutValidation("Content-Disposition", "form-data; name=\"file\"; filename*=UTF-8''say%20%22hi%22%3B%20x.txt");
        using var form = new MultipartFormDataContent { content };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = form };
        request.Headers.Authorization = new("Bearer", _tenant.ApiKey);
        using var response = await Http.SendAsync(request, Ct);
        var file = await StorageCalls.FileOfAsync(response);
        Assert.Equal("say \"hi\"; x.txt", file.GetProperty("filename").GetString());

        using var download = await _storage.DownloadAsync(file.GetProperty("url").GetString()!);

        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("say \"hi\"; x.txt", disposition.FileNameStar);
        Assert.Single(disposition.Parameters, p => p.Name == "filename*");
    }

    [Fact]
    public async Task LinksNameTheServersOwnAddressWhateverHostTheRequestClaims()
    {
        var file = await _storage.UploadOkAsync([1], "a.txt");
        using var lax = LaxTlsClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/storage/fetch/{file.GetProperty("id").GetString()}");
        request.Headers.Authorization = new("Bearer", _tenant.ApiKey);
        request.Headers.Host = "attacker.example";

        using var response = await lax.SendAsync(request, Ct);

        var url = new Uri((await StorageCalls.FileOfAsync(response)).GetProperty("url").GetString()!);
        Assert.Equal(Server.HttpsAddress.GetLeftPart(UriPartial.Authority), url.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>A client that accepts exactly this server's certificate under any Host name (it names only localhost).</summary>
    HttpClient LaxTlsClient()
    {
        // The certificate served to a client that sends no name (an IP address): the default one.
        var expected = Server.Services.GetRequiredService<TlsCertificates.Loaded>().Select(null).TargetCertificate.GetCertHashString();
        return new(new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected,
            },
        })
        { BaseAddress = Server.HttpsAddress };
    }

    [Fact]
    public async Task TheContentTypeIsGuessedFromTheNameWhenTheClientSendsNone()
    {
        var file = await _storage.UploadOkAsync([1, 2, 3], "photo.png", contentType: null);
        Assert.Equal("image/png", file.GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task UploadingToATakenPathReplacesTheFileAndEndsTheOldOnesLinks()
    {
        var first = await _storage.UploadOkAsync(Encoding.UTF8.GetBytes("version 1"), "plan.txt", "team");
        var second = await _storage.UploadOkAsync(Encoding.UTF8.GetBytes("version 2, longer"), "plan.txt", "team/");

        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        using var byPath = await _storage.FetchByPathAsync("team/plan.txt");
        Assert.Equal(second.GetProperty("id").GetString(), (await StorageCalls.FileOfAsync(byPath)).GetProperty("id").GetString());
        using var oldById = await _storage.FetchAsync(first.GetProperty("id").GetString()!);
        await ErrorAssert.IsErrorAsync(oldById, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        using var oldLink = await _storage.DownloadAsync(first.GetProperty("url").GetString()!);
        await ErrorAssert.IsErrorAsync(oldLink, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        using var newLink = await _storage.DownloadAsync(second.GetProperty("url").GetString()!);
        Assert.Equal("version 2, longer", await newLink.Content.ReadAsStringAsync(Ct));
        // The old bytes are gone from disk too: only the new file is left in the workspace's folder.
        Assert.Equal([second.GetProperty("id").GetString()], StoredBlobs());
    }

    [Fact]
    public async Task DeletingAFileRemovesItsBytesAndEndsItsLinks()
    {
        var file = await _storage.UploadOkAsync([9, 9, 9], "gone.bin");
        var id = file.GetProperty("id").GetString()!;

        using var deleted = await _storage.DeleteAsync(id);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var body = await deleted.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.True(body.GetProperty("deletedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Empty(StoredBlobs());
        using var link = await _storage.DownloadAsync(file.GetProperty("url").GetString()!);
        await ErrorAssert.IsErrorAsync(link, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        using var fetch = await _storage.FetchAsync(id);
        await ErrorAssert.IsErrorAsync(fetch, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        using var again = await _storage.DeleteAsync(id);
        await ErrorAssert.IsErrorAsync(again, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
    }

    [Fact]
    public async Task AnotherWorkspacesFileIsNotFoundForFetchByIdByPathAndDelete()
    {
        var other = await TestTenant.CreateAsync(Server);
        var theirs = await new StorageCalls(Http, other.ApiKey).UploadOkAsync([1], "secret.txt", "private");
        var id = theirs.GetProperty("id").GetString()!;

        using var byId = await _storage.FetchAsync(id);
        await ErrorAssert.IsErrorAsync(byId, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        using var byPath = await _storage.FetchByPathAsync("private/secret.txt");
        await ErrorAssert.IsErrorAsync(byPath, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        using var delete = await _storage.DeleteAsync(id);
        await ErrorAssert.IsErrorAsync(delete, HttpStatusCode.NotFound, ErrorCodes.FileNotFound);
        using var stillThere = await new StorageCalls(Http, other.ApiKey).FetchAsync(id);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task AnUploadWithoutAFilePartIsAMissingParameter()
    {
        var form = new MultipartFormDataContent { { new StringContent("docs"), "path" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = form };
        request.Headers.Authorization = new("Bearer", _tenant.ApiKey);
        using var response = await Http.SendAsync(request, Ct);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
    }

    [Fact]
    public async Task AnUploadThatIsNotMultipartIsAnUnsupportedMediaType()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = JsonContent.Create(new { file = "x" }) };
        request.Headers.Authorization = new("Bearer", _tenant.ApiKey);
        using var response = await Http.SendAsync(request, Ct);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task TwoFilesInOneUploadAreRefusedAndNeitherIsKept()
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent([1]), "file", "one.txt" },
            { new ByteArrayContent([2]), "file", "two.txt" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = form };
        request.Headers.Authorization = new("Bearer", _tenant.ApiKey);
        using var response = await Http.SendAsync(request, Ct);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.BulkNotSupported);
        Assert.Empty(StoredBlobs());
    }

    [Fact]
    public async Task ABodyThatEndsBeforeItsClosingBoundaryIsMalformedAndLeavesNothing()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.txt\"\r\n\r\nhalf a fi"u8.ToArray();
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = content };
        request.Headers.Authorization = new("Bearer", _tenant.ApiKey);
        using var response = await Http.SendAsync(request, Ct);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidMultipart);
        Assert.Empty(StoredBlobs());
    }

    [Fact]
    public async Task EveryStorageEndpointNeedsAKey()
    {
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "/storage/upload"), (HttpMethod.Get, "/storage/fetch/file_x"),
            (HttpMethod.Get, "/storage/fetch-by-path?filepath=a.txt"), (HttpMethod.Delete, "/storage/delete/file_x"),
        })
        {
            using var response = await Http.SendAsync(new HttpRequestMessage(method, path), Ct);
            await ErrorAssert.IsErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.MissingApiKey);
        }
    }

    [Fact]
    public async Task FilesOnDiskAreNamedByIdNeverByTheClientsName()
    {
        Assert.SkipWhen(ScaleOutStores.StorageOnS3, "Files are in a bucket (HATBOX_TEST_STORAGE=s3); ScaleOut/S3BlobStoreTests checks object names.");
        var file = await _storage.UploadOkAsync([1, 2], "client-name.txt", "folder");

        var folder = Path.Combine(Server.DataDirectory, "files", _tenant.WorkspaceId);
        Assert.Equal([file.GetProperty("id").GetString()!], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Empty(Directory.GetDirectories(folder));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Directory.GetFiles(folder).Single()));
        }
    }

    string[] StoredBlobs()
    {
        if (ScaleOutStores.StorageOnS3)
        {
            return ScaleOutStores.ObjectsAsync(Server.DataDirectory, _tenant.WorkspaceId).GetAwaiter().GetResult();
        }
        var folder = Path.Combine(Server.DataDirectory, "files", _tenant.WorkspaceId);
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).ToArray() : [];
    }
}
