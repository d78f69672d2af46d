using System.Net;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Storage;

/// <summary>Paths and file names: normalized, confined to the workspace, and never a way out.</summary>
public sealed class StoragePathTests() : ServerTest
{
    TestTenant _tenant = null!;
    StorageCalls _storage = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _tenant = await TestTenant.CreateAsync(Server);
        _storage = new StorageCalls(Http, _tenant.ApiKey);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("docs/../../escape")]
    [InlineData("..")]
    [InlineData("/etc")]
    [InlineData("C:/Windows")]
    [InlineData("docs\\sub")]
    [InlineData("tab\there")]
    [InlineData("nul\0byte")]
    [InlineData("new\nline")]
    [InlineData("bidi\u202Etxt.exe")]
    public async Task ADangerousFolderIsRefusedAndNothingIsStored(string path)
    {
        using var response = await _storage.UploadAsync([1, 2, 3], "ok.txt", path);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidPath);
        Assert.Empty(StoredBlobs());
    }

    [Theory]
    [InlineData("..")]
    [InlineData("C:\\fakepath\\photo.jpg")]
    [InlineData("a/b.txt")]
    [InlineData("")]
    public async Task ADangerousFileNameIsRefused(string filename)
    {
        using var response = await _storage.UploadAsync([1, 2, 3], filename);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidPath);
        Assert.Empty(StoredBlobs());
    }

    [Fact]
    public async Task AnOverLongNameOrPathIsRefused()
    {
        using var longName = await _storage.UploadAsync([1], new string('a', 256) + ".txt");
        await ErrorAssert.IsErrorAsync(longName, HttpStatusCode.BadRequest, ErrorCodes.InvalidPath);
        using var longPath = await _storage.UploadAsync([1], "x.txt", string.Join('/', Enumerable.Repeat(new string('d', 200), 6)));
        await ErrorAssert.IsErrorAsync(longPath, HttpStatusCode.BadRequest, ErrorCodes.InvalidPath);
        using var deep = await _storage.UploadAsync([1], "x.txt", string.Join('/', Enumerable.Repeat("d", 40)));
        await ErrorAssert.IsErrorAsync(deep, HttpStatusCode.BadRequest, ErrorCodes.InvalidPath);
    }

    [Fact]
    public async Task PathsAreNormalizedSoEquivalentSpellingsNameTheSameFile()
    {
        var file = await _storage.UploadOkAsync([7], "n.txt", "./a//b/./");
        Assert.Equal("a/b/n.txt", file.GetProperty("path").GetString());

        using var found = await _storage.FetchByPathAsync("a/./b//n.txt");
        Assert.Equal(file.GetProperty("id").GetString(), (await StorageCalls.FileOfAsync(found)).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("../a.txt")]
    [InlineData("/a.txt")]
    [InlineData("a\\b.txt")]
    [InlineData("./")]
    public async Task FetchByPathRefusesAnInvalidPath(string filepath)
    {
        using var response = await _storage.FetchByPathAsync(filepath);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidPath);
    }

    [Fact]
    public async Task FetchByPathWithoutAPathIsAMissingParameter()
    {
        using var response = await _storage.FetchByPathAsync("");
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ParameterMissing);
    }

    [Theory]
    [InlineData("first/", HttpStatusCode.OK, null)]
    [InlineData("../first", HttpStatusCode.BadRequest, ErrorCodes.InvalidPath)]
    public async Task APathSentBeforeTheFileIsReadTheSameWay(string path, HttpStatusCode status, string? code)
    {
        var form = new MultipartFormDataContent { { new StringContent(path), "path" }, { new ByteArrayContent([1, 2]), "file", "late.bin" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = form };
        request.Headers.Authorization = new("Bearer", _tenant.ApiKey);

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);

        if (code is null)
        {
            Assert.Equal("first/late.bin", (await StorageCalls.FileOfAsync(response)).GetProperty("path").GetString());
        }
        else
        {
            await ErrorAssert.IsErrorAsync(response, status, code);
            Assert.Empty(StoredBlobs());
        }
    }

    string[] StoredBlobs()
    {
        var folder = Path.Combine(Server.DataDirectory, "files", _tenant.WorkspaceId);
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).ToArray() : [];
    }
}
