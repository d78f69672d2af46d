using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hatbox.Data;
using Hatbox.Tests.Db;
using Hatbox.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Tests.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> replayed on real writes, not a test endpoint: a retried <c>/db/insert</c>
/// makes one row and a retried upload one file, each answering as the first did; the same key
/// with another body is <c>400 idempotency_key_reused</c> and writes nothing.
/// </summary>
public sealed class IdempotentWritesTests : IAsyncLifetime
{
    TestServer _server = null!;
    HttpClient _client = null!;
    TestTenant _tenant = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(DbTestSettings.With());
        _client = _server.CreateClient();
        _tenant = await TestTenant.CreateAsync(_server);
        var db = new DbClient(_client, _tenant.ApiKey);
        await db.QueryOkAsync("CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL)");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ARetriedInsertMakesOneRowAndAnswersTheSame()
    {
        using var first = await InsertAsync("insert-1", "apples");
        using var second = await InsertAsync("insert-1", "apples");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await BodyAsync(first), await BodyAsync(second));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await RowsNamedAsync("apples"));
    }

    [Fact]
    public async Task TheSameKeyWithAnotherRowIsRefusedAndInsertsNothing()
    {
        using var first = await InsertAsync("insert-2", "pears");

        using var second = await InsertAsync("insert-2", "plums");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ErrorAssert.IsErrorAsync(second, HttpStatusCode.BadRequest, "idempotency_key_reused", "idempotency_error");
        Assert.Equal(1, await RowsNamedAsync("pears"));
        Assert.Equal(0, await RowsNamedAsync("plums"));
    }

    [Fact]
    public async Task AnotherOrganizationsKeyOfTheSameNameIsItsOwn()
    {
        var other = await TestTenant.CreateAsync(_server);
        var otherDb = new DbClient(_client, other.ApiKey);
        await otherDb.QueryOkAsync("CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL)");
        using var mine = await InsertAsync("shared-name", "figs");

        using var theirs = await InsertAsync("shared-name", "figs", other.ApiKey);

        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await RowsNamedAsync("figs"));
        Assert.Single(await otherDb.RowsAsync("SELECT id FROM orders WHERE item = 'figs'"));
    }

    [Fact]
    public async Task ARetriedUploadStoresOneFileAndAnswersTheSame()
    {
        var bytes = Encoding.UTF8.GetBytes("one invoice, uploaded twice");

        using var first = await UploadAsync("upload-1", bytes, "invoices/one.txt");
        using var second = await UploadAsync("upload-1", bytes, "invoices/one.txt");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await BodyAsync(first), await BodyAsync(second));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await FilesUnderAsync("invoices/"));
    }

    [Fact]
    public async Task TheSameKeyWithOtherBytesIsRefusedAndStoresNothing()
    {
        using var first = await UploadAsync("upload-2", Encoding.UTF8.GetBytes("first"), "receipts/a.txt");

        using var second = await UploadAsync("upload-2", Encoding.UTF8.GetBytes("second"), "receipts/b.txt");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ErrorAssert.IsErrorAsync(second, HttpStatusCode.BadRequest, "idempotency_key_reused", "idempotency_error");
        Assert.Equal(1, await FilesUnderAsync("receipts/"));
    }

    Task<HttpResponseMessage> InsertAsync(string idempotencyKey, string item, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/db/insert")
        {
            Content = JsonContent.Create(new { table = "orders", data = new { item } }),
        };
        request.Headers.Authorization = new("Bearer", apiKey ?? _tenant.ApiKey);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// The same bytes each time, boundary included, as a client that retries the request it built
    /// sends them (a new boundary would be a different request to the byte-for-byte comparison).
    /// </summary>
    Task<HttpResponseMessage> UploadAsync(string idempotencyKey, byte[] bytes, string path)
    {
        var form = new MultipartFormDataContent("fixed-boundary-for-retries");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", "upload.txt");
        form.Add(new StringContent(path), "path");
        var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = form };
        request.Headers.Authorization = new("Bearer", _tenant.ApiKey);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    async Task<int> RowsNamedAsync(string item) =>
        (await new DbClient(_client, _tenant.ApiKey).RowsAsync("SELECT id FROM orders WHERE item = $1", DbClient.Positional(item))).Length;

    async Task<int> FilesUnderAsync(string prefix)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        return await db.StoredFiles.CountAsync(f => f.WorkspaceId == _tenant.WorkspaceId && f.Path.StartsWith(prefix),
            TestContext.Current.CancellationToken);
    }

    static Task<string> BodyAsync(HttpResponseMessage response) =>
        response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
}
