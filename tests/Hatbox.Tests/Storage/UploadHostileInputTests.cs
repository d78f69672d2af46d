using System.Net;
using System.Text;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Storage;

/// <summary>One server for these tests; each makes its own tenant.</summary>
public sealed class UploadServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestServer.StartAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>Uploads whose multipart body is hand-written to be hostile: odd content types, too many parts, huge part headers.</summary>
public sealed class UploadHostileInputTests(UploadServer fixture) : IClassFixture<UploadServer>, IDisposable
{
    const string Boundary = "hostile-boundary";
    readonly TestServer _server = fixture.Server;
    readonly HttpClient _http = fixture.Server.CreateClient();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    public static readonly TheoryData<string, string> DeclaredTypes = new()
    {
        // declared in the part, then what the file is stored and served as
        { "text/plain; charset=\"é\"", "text/plain" },
        { "text/plain; charset=\"utf-8\"", "text/plain; charset=utf-8" },
        { "TEXT/HTML; Charset=UTF-8", "text/html; charset=utf-8" },
        { "text/plain; charset=utf-8; evil=\"<script>\"", "text/plain; charset=utf-8" },
        { "image/png; name=\"x\u00ff.png\"", "image/png" },
        { "text/plain; charset=\"a b\"", "text/plain" },
        { "not a type", "application/octet-stream" },
        { "text/", "application/octet-stream" },
        { "*/*", "application/octet-stream" },
        { "text/plain; charset=" + new string('x', 300), "text/plain" },
        { "application/" + new string('x', 300), "application/octet-stream" },
    };

    [Theory]
    [MemberData(nameof(DeclaredTypes))]
    public async Task AnyDeclaredContentTypeIsStoredInAFormThatCanAlwaysBeDownloaded(string declared, string stored)
    {
        var tenant = await TestTenant.CreateAsync(_server);
        var part = $"Content-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\nContent-Type: {declared}\r\n\r\nhello";

        using var uploaded = await SendAsync(tenant, Encoding.UTF8.GetBytes($"--{Boundary}\r\n{part}\r\n--{Boundary}--\r\n"));
        var file = await StorageCalls.FileOfAsync(uploaded);

        Assert.Equal(stored, file.GetProperty("contentType").GetString());
        using var download = await _http.GetAsync(new Uri(_server.HttpsAddress, new Uri(file.GetProperty("url").GetString()!).PathAndQuery), Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("hello", await download.Content.ReadAsStringAsync(Ct));
        Assert.Equal(stored, download.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task AnUploadOfTenThousandPartsIsTooLargeAndStoresNothing()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        var body = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            body.Append(CultureInfoInvariant($"--{Boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\n\r\n"));
        }
        body.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nx\r\n--{Boundary}--\r\n");

        using var response = await SendAsync(tenant, Encoding.UTF8.GetBytes(body.ToString()));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        Assert.Empty(BlobsOf(tenant));
    }

    [Fact]
    public async Task ThirtyTwoPartsAreStillAccepted()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        var body = new StringBuilder();
        for (var i = 0; i < 31; i++)
        {
            body.Append(CultureInfoInvariant($"--{Boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n"));
        }
        body.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nx\r\n--{Boundary}--\r\n");

        using var response = await SendAsync(tenant, Encoding.UTF8.GetBytes(body.ToString()));

        await StorageCalls.FileOfAsync(response);
    }

    [Theory]
    [InlineData(1, 9000)]
    [InlineData(20, 10)]
    public async Task PartHeadersPastTheirCapAreTooLarge(int headers, int headerLength)
    {
        var tenant = await TestTenant.CreateAsync(_server);
        var extra = new StringBuilder();
        for (var i = 0; i < headers; i++)
        {
            extra.Append(CultureInfoInvariant($"X-Pad-{i}: {new string('a', headerLength)}\r\n"));
        }
        var body = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n{extra}\r\nx\r\n--{Boundary}--\r\n";

        using var response = await SendAsync(tenant, Encoding.UTF8.GetBytes(body));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
        Assert.Empty(BlobsOf(tenant));
    }

    [Fact]
    public async Task AMalformedPartHeaderIsStillInvalidMultipart()
    {
        var tenant = await TestTenant.CreateAsync(_server);
        var body = $"--{Boundary}\r\nthis is no header\r\n\r\nx\r\n--{Boundary}--\r\n";

        using var response = await SendAsync(tenant, Encoding.UTF8.GetBytes(body));

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidMultipart);
    }

    static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    async Task<HttpResponseMessage> SendAsync(TestTenant tenant, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={Boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/storage/upload") { Content = content };
        request.Headers.Authorization = new("Bearer", tenant.ApiKey);
        return await _http.SendAsync(request, Ct);
    }

    string[] BlobsOf(TestTenant tenant)
    {
        var folder = Path.Combine(_server.DataDirectory, "files", tenant.WorkspaceId);
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }
}
