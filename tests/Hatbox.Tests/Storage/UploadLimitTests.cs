using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Features.Plans;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Storage;

/// <summary>The upload cap (here 100,000 bytes) and the plan's storage quota (here 250,000 bytes).</summary>
public sealed class UploadLimitTests : IAsyncLifetime
{
    const int Cap = 100_000;
    TestServer _server = null!;
    HttpClient _client = null!;
    TestTenant _tenant = null!;
    StorageCalls _storage = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(new()
        {
            ["Storage:MaxUploadBytes"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Plans:free:StorageBytes"] = "250000",
        });
        _client = _server.CreateClient();
        _tenant = await TestTenant.CreateAsync(_server);
        _storage = new StorageCalls(_client, _tenant.ApiKey);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AFileOfExactlyTheCapIsAccepted()
    {
        var file = await _storage.UploadOkAsync(new byte[Cap], "exact.bin");
        Assert.Equal(Cap, file.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task OneByteOverTheCapIsTooLargeAndLeavesNothingOnDisk()
    {
        using var response = await _storage.UploadAsync(new byte[Cap + 1], "over.bin");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public async Task OneByteOverTheCapIsTooLargeWhenTheBodyIsChunkedToo()
    {
        using var response = await _storage.UploadAsync(new StreamContent(new UnseekableStream(new byte[Cap + 1])), "over.bin");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public async Task ABodyFarOverTheCapIsRefusedBeforeItIsRead()
    {
        using var response = await _storage.UploadAsync(new byte[Cap * 10], "huge.bin");

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public async Task TheUploadLimitHoldsWhenAnIdempotencyStageReadsTheBodyFirst()
    {
        // Bigger than Server:MaxRequestBodyBytes (1 MiB), smaller than this server's upload cap.
        await using var server = await TestServer.StartAsync(new() { ["Storage:MaxUploadBytes"] = "3000000" });
        using var client = server.CreateClient();
        var tenant = await TestTenant.CreateAsync(server);
        var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[2_000_000]), "file", "keyed.bin" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = form };
        request.Headers.Authorization = new("Bearer", tenant.ApiKey);
        request.Headers.Add("Idempotency-Key", "upload-" + Guid.NewGuid());

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(2_000_000, (await StorageCalls.FileOfAsync(response)).GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task UploadsPastThePlansStorageAreRefusedAndReplacingAFileCountsOnlyTheDifference()
    {
        await _storage.UploadOkAsync(new byte[Cap], "one.bin");
        await _storage.UploadOkAsync(new byte[Cap], "two.bin");

        using var third = await _storage.UploadAsync(new byte[Cap], "three.bin");
        await ErrorAssert.IsErrorAsync(third, HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        Assert.Equal(2, FilesOnDisk().Length);

        // 200,000 stored; replacing one 100,000-byte file with another 100,000 still fits.
        await _storage.UploadOkAsync(new byte[Cap], "two.bin");
        await _storage.UploadOkAsync(new byte[40_000], "small.bin");
        using var over = await _storage.UploadAsync(new byte[20_000], "last.bin");
        await ErrorAssert.IsErrorAsync(over, HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        Assert.Equal(3, FilesOnDisk().Length);
    }

    [Fact]
    public async Task AnOversizedUploadWithoutAContentLengthIsStillCheckedAgainstTheQuota()
    {
        await _storage.UploadOkAsync(new byte[Cap], "one.bin");
        await _storage.UploadOkAsync(new byte[Cap], "two.bin");

        using var chunked = await _storage.UploadAsync(new StreamContent(new UnseekableStream(new byte[60_000])), "three.bin");

        await ErrorAssert.IsErrorAsync(chunked, HttpStatusCode.RequestEntityTooLarge, StorageQuota.ExceededCode);
        Assert.Equal(2, FilesOnDisk().Length);
    }

    string[] FilesOnDisk()
    {
        if (ScaleOutStores.StorageOnS3)
        {
            return ScaleOutStores.ObjectsAsync(_server.DataDirectory, _tenant.WorkspaceId).GetAwaiter().GetResult();
        }
        var folder = Path.Combine(_server.DataDirectory, "files", _tenant.WorkspaceId);
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }

    /// <summary>Hides the length, so HttpClient sends the body chunked and the server cannot know its size up front.</summary>
    sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
