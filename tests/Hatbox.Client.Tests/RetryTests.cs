using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Hatbox.Client.Tests;

/// <summary>
/// Retries and error mapping against a real HTTP server on loopback that answers as told: 429 and 503
/// with <c>Retry-After</c>, <c>x-should-retry</c>, and bodies with and without the envelope.
/// </summary>
public sealed class RetryTests : IAsyncLifetime
{
    WebApplication _app = null!;
    Uri _address = null!;
    readonly Queue<(int Status, string? RetryAfter, string? ShouldRetry, string Body)> _script = new();
    int _calls;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async context =>
        {
            Interlocked.Increment(ref _calls);
            var (status, retryAfter, shouldRetry, body) = _script.Count > 0 ? _script.Dequeue() : (200, null, null, """{"success":true,"name":"stand-in","version":"2025-10-28","environment":"test"}""");
            context.Response.StatusCode = status;
            context.Response.Headers["Request-Id"] = "req_standin" + _calls;
            if (retryAfter is not null)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }
            if (shouldRetry is not null)
            {
                context.Response.Headers["x-should-retry"] = shouldRetry;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body, context.RequestAborted);
        });
        await _app.StartAsync(Ct);
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    HatboxClient Client(int maxRetries = 2, TimeSpan? maxDelay = null) => new(new HttpClient(),
        new HatboxClientOptions { BaseAddress = _address, ApiKey = "wh_test", MaxRetries = maxRetries, MaxRetryDelay = maxDelay ?? TimeSpan.FromSeconds(30) });

    static string Envelope(string type, string code, string? param = null) =>
        $$"""{"success":false,"message":"m","error":{"type":"{{type}}","code":"{{code}}","message":"m"{{(param is null ? "" : $",\"param\":\"{param}\"")}}},"requestId":"req_body"}""";

    [Fact]
    public async Task A429IsRetriedAfterItsRetryAfterAndThenSucceeds()
    {
        _script.Enqueue((429, "1", null, Envelope("rate_limit_error", "rate_limited")));
        var clock = Stopwatch.StartNew();

        var info = await Client().GetServerInfoAsync(cancellationToken: Ct);

        Assert.Equal("stand-in", info.Name);
        Assert.Equal(2, _calls);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"Retried after {clock.Elapsed}.");
    }

    [Fact]
    public async Task A503WithShouldRetryFalseIsNotRetriedAndCarriesTheEnvelope()
    {
        _script.Enqueue((503, "1", "false", Envelope("api_error", "database_busy", "query")));

        var error = await Assert.ThrowsAsync<HatboxApiException>(() => Client().GetServerInfoAsync(cancellationToken: Ct));

        Assert.Equal(1, _calls);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "api_error", "database_busy", "query", "req_body"),
            (error.Status, error.Type, error.Code, error.Param, error.RequestId));
    }

    [Fact]
    public async Task RetriesAreBoundedAndALongRetryAfterIsCappedByTheOption()
    {
        for (var i = 0; i < 5; i++)
        {
            _script.Enqueue((503, "3600", null, Envelope("api_error", "service_unavailable")));
        }
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HatboxApiException>(() => Client(maxRetries: 2, maxDelay: TimeSpan.FromMilliseconds(200)).GetServerInfoAsync(cancellationToken: Ct));

        Assert.Equal(3, _calls);
        Assert.Equal("service_unavailable", error.Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Took {clock.Elapsed}.");
    }

    [Fact]
    public async Task AClientErrorIsNotRetriedAndAPerRequestLimitOfZeroTurnsRetriesOff()
    {
        _script.Enqueue((404, null, null, Envelope("invalid_request_error", "table_not_found", "table")));
        var notFound = await Assert.ThrowsAsync<HatboxApiException>(() => Client().GetServerInfoAsync(cancellationToken: Ct));
        Assert.Equal(("table_not_found", "table", 1), (notFound.Code, notFound.Param, _calls));

        _script.Enqueue((429, "0", null, Envelope("rate_limit_error", "rate_limited")));
        var limited = await Assert.ThrowsAsync<HatboxApiException>(() => Client().GetServerInfoAsync(new RequestOptions { MaxRetries = 0 }, Ct));
        Assert.Equal(("rate_limited", 2), (limited.Code, _calls));
    }

    [Fact]
    public async Task AnAnswerWithoutTheEnvelopeStillBecomesATypedErrorWithTheHeadersRequestId()
    {
        _script.Enqueue((502, null, "false", "<html>bad gateway</html>"));

        var error = await Assert.ThrowsAsync<HatboxApiException>(() => Client().GetServerInfoAsync(cancellationToken: Ct));

        Assert.Equal((HttpStatusCode.BadGateway, "http_502", "req_standin1"), (error.Status, error.Code, error.RequestId));
    }
}
