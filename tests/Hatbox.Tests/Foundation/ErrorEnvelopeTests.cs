using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Foundation;

/// <summary>
/// The framework's own failures and the body binder's refusals all carry the envelope. The two
/// extra endpoints run inside the real pipeline with the real binder; they exist only in this test.
/// </summary>
public sealed class ErrorEnvelopeTests : IAsyncLifetime
{
    TestServer _server = null!;
    HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(
            new() { ["Server:MaxRequestBodyBytes"] = "4096" },
            configureApp: app =>
            {
                app.MapPost("/test/echo", (Body<JsonObject> body) => TypedResults.Ok(body.Value));
                app.MapGet("/test/crash", string () => throw new InvalidOperationException("secret detail /var/lib/x.db SELECT *"));
            });
        _client = _server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task UnknownPathIsRouteNotFound()
    {
        using var response = await _client.GetAsync("/nothing/here", TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.NotFound, ErrorCodes.RouteNotFound, ErrorTypes.InvalidRequest);
    }

    [Fact]
    public async Task WrongMethodIsMethodNotAllowed()
    {
        using var response = await _client.DeleteAsync("/health", TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.MethodNotAllowed, ErrorCodes.MethodNotAllowed);
    }

    [Fact]
    public async Task UnsupportedMediaTypeIs415()
    {
        using var content = new StringContent("<a/>", Encoding.UTF8, "application/xml");
        using var response = await _client.PostAsync("/test/echo", content, TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task BodyOverTheConfiguredLimitIs413()
    {
        using var content = new StringContent($$"""{"a":"{{new string('x', 5000)}}"}""", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/test/echo", content, TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimitIs413()
    {
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"a":"{{new string('x', 5000)}}"}""")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("not json")]
    [InlineData("\"just a string\"")]
    public async Task MalformedJsonIsInvalidJson(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/test/echo", content, TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidJson);
    }

    [Fact]
    public async Task ArrayBodyIsBulkNotSupported()
    {
        using var content = new StringContent("[{\"a\":1},{\"a\":2}]", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/test/echo", content, TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.BulkNotSupported);
    }

    [Theory]
    [InlineData("a=%zz")]
    [InlineData("a=1&a=2")]
    [InlineData("a[b=1")]
    public async Task MalformedFormIsInvalidForm(string form)
    {
        using var content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _client.PostAsync("/test/echo", content, TestContext.Current.CancellationToken);
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidForm);
    }

    [Fact]
    public async Task FormAndJsonBindToTheSameModel()
    {
        using var form = new StringContent("data[name]=Ada&params[]=1&params[]=2", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var json = new StringContent("""{"data":{"name":"Ada"},"params":["1","2"]}""", Encoding.UTF8, "application/json");

        using var fromForm = await _client.PostAsync("/test/echo", form, TestContext.Current.CancellationToken);
        using var fromJson = await _client.PostAsync("/test/echo", json, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, fromForm.StatusCode);
        Assert.Equal(
            await fromJson.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            await fromForm.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UnhandledExceptionIsInternalErrorWithoutDetail()
    {
        using var response = await _client.GetAsync("/test/crash", TestContext.Current.CancellationToken);

        var body = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.InternalServerError, ErrorCodes.InternalError, ErrorTypes.Api);
        var text = body.GetRawText();
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SELECT", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
    }

    public static readonly TheoryData<string, int, string> HostileForms = new()
    {
        // 200 levels of nesting in 403 bytes: the depth cap, well under the 4 KiB body cap.
        { string.Concat(Enumerable.Repeat("a[", 200)) + "]=1", 400, ErrorCodes.InvalidForm },
        // 1,001 fields in 4,004 bytes: the field cap (1,000), still under the body cap.
        { string.Join('&', Enumerable.Range(0, 1001).Select(i => TwoLetters(i) + "=")), 400, ErrorCodes.InvalidForm },
        // 10,000 fields: the body cap stops it before any field is counted.
        { string.Join('&', Enumerable.Range(0, 10_000).Select(i => $"k{i}=v")), 413, ErrorCodes.PayloadTooLarge },
    };

    [Theory]
    [MemberData(nameof(HostileForms))]
    public async Task AHostileFormIsRefusedByTheCapItBreaksAndTheServerKeepsServing(string form, int status, string code)
    {
        using var content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await _client.PostAsync("/test/echo", content, TestContext.Current.CancellationToken);

        await ErrorAssert.IsErrorAsync(response, (HttpStatusCode)status, code);
        using var health = await _client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>A distinct two-letter field name for each of 0…1295, so every field is new and counts.</summary>
    static string TwoLetters(int i) => $"{"abcdefghijklmnopqrstuvwxyz0123456789"[i / 36]}{"abcdefghijklmnopqrstuvwxyz0123456789"[i % 36]}";
}
