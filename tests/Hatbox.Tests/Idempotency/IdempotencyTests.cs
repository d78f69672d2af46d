using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hatbox.Common.Binding;
using Hatbox.Features.ApiKeys;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on POST. The counting endpoint exists only in this test: it runs inside the
/// real pipeline behind a real key, and counts how often its handler actually ran.
/// </summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    TestServer _server = null!;
    HttpClient _client = null!;
    TestTenant _tenant = null!;
    int _runs;
    readonly SemaphoreSlim _hold = new(1, 1);
    readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask InitializeAsync()
    {
        _server = await TestServer.StartAsync(configureApp: app => app.MapPost("/test/count", async (Body<JsonObject> body) =>
        {
            _entered.TrySetResult();
            await _hold.WaitAsync();
            _hold.Release();
            return TypedResults.Ok(new { run = Interlocked.Increment(ref _runs), echo = body.Value["name"]?.GetValue<string>() });
        }).RequireApiKey());
        _client = _server.CreateClient();
        _tenant = await TestTenant.CreateAsync(_server);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    Task<HttpResponseMessage> PostAsync(string key, string json, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/test/count")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", apiKey ?? _tenant.ApiKey);
        request.Headers.Add("Idempotency-Key", key);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TheSameKeyReplaysTheFirstAnswerWithoutRunningAgain()
    {
        using var first = await PostAsync("order-1", """{"name":"Ada"}""");
        using var second = await PostAsync("order-1", """{"name":"Ada"}""");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIsAnIdempotencyError()
    {
        using var first = await PostAsync("order-2", """{"name":"Ada"}""");
        using var second = await PostAsync("order-2", """{"name":"Grace"}""");

        await ErrorAssert.IsErrorAsync(second, HttpStatusCode.BadRequest, "idempotency_key_reused", "idempotency_error");
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task AKeyStillRunningIsAConflict()
    {
        await _hold.WaitAsync(TestContext.Current.CancellationToken);
        var first = PostAsync("order-3", """{"name":"Ada"}""");
        // The first request is inside its handler, so its key is claimed and not finished.
        await _entered.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        using var second = await PostAsync("order-3", """{"name":"Ada"}""");
        _hold.Release();

        await ErrorAssert.IsErrorAsync(second, HttpStatusCode.Conflict, "idempotency_key_in_use", "idempotency_error");
        using var finished = await first;
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
    }

    [Fact]
    public async Task KeysBelongToTheirOrganization()
    {
        var other = await TestTenant.CreateAsync(_server);
        using var mine = await PostAsync("shared-key", """{"name":"Ada"}""");
        using var theirs = await PostAsync("shared-key", """{"name":"Grace"}""", other.ApiKey);

        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task AnOverlongKeyIsRefused()
    {
        using var response = await PostAsync(new string('k', 256), "{}");
        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, "idempotency_key_invalid", "idempotency_error");
    }
}
