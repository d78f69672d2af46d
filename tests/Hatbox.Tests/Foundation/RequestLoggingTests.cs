using System.Text;
using System.Text.Json;
using Hatbox.Pipeline;
using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;

namespace Hatbox.Tests.Foundation;

public sealed class RequestLoggingTests
{
    [Fact]
    public async Task EachRequestLogsOneLineWithItsIdAndNeverTheKeyOrBody()
    {
        var lines = new StringWriter();
        await using var server = await TestServer.StartAsync(configureBuilder: builder =>
        {
            builder.Logging.AddFakeLogging();
            builder.Services.AddSingleton(new AccessLog(TextWriter.Synchronized(lines), TimeProvider.System));
        });
        using var client = server.CreateClient();
        var collector = server.Services.GetRequiredService<FakeLogCollector>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/health?token=query-secret")
        {
            Content = new StringContent("""{"password":"body-secret"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer wh_live_header-secret");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var requestId = response.Headers.GetValues("Request-Id").Single();
        var line = Assert.Single(lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(requestId, StringComparison.Ordinal));
        var state = JsonDocument.Parse(line).RootElement.GetProperty("State");
        Assert.Equal("POST", state.GetProperty("Method").GetString());
        Assert.Equal("/health", state.GetProperty("Path").GetString());
        Assert.Equal(405, state.GetProperty("StatusCode").GetInt32());
        Assert.Equal(requestId, state.GetProperty("RequestId").GetString());
        Assert.True(state.GetProperty("DurationMs").GetDouble() >= 0);
        Assert.DoesNotContain("secret", lines.ToString(), StringComparison.Ordinal);
        foreach (var record in collector.GetSnapshot())
        {
            var text = record.Message + string.Join(' ', record.StructuredState?.Select(kv => kv.Value) ?? []);
            Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LogLinesWrittenDuringARequestCarryItsRequestId()
    {
        await using var server = await TestServer.StartAsync(
            configureBuilder: builder => builder.Logging.AddFakeLogging(),
            configureApp: app => app.MapGet("/test/log", (ILogger<RequestLoggingTests> logger) =>
            {
                logger.LogWarning("inside the handler");
                return "ok";
            }));
        using var client = server.CreateClient();
        var collector = server.Services.GetRequiredService<FakeLogCollector>();

        using var response = await client.GetAsync("/test/log", TestContext.Current.CancellationToken);

        var requestId = response.Headers.GetValues("Request-Id").Single();
        var inside = Assert.Single(collector.GetSnapshot(), r => r.Message == "inside the handler");
        Assert.Contains(inside.Scopes, scope => scope is IEnumerable<KeyValuePair<string, object?>> pairs
            && pairs.Any(p => p.Key == "RequestId" && (string?)p.Value == requestId));
    }

    [Fact]
    public async Task ConcurrentRequestsLogUnderTheirOwnIdsAndNothingLeaksAfter()
    {
        // Each request waits inside its handler until all have started, then logs after the await:
        // the id must follow each request across its own continuation, not the thread's last request.
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int Requests = 8;
        await using var server = await TestServer.StartAsync(
            configureBuilder: builder => builder.Logging.AddFakeLogging(),
            configureApp: app => app.MapGet("/test/log/{n:int}", async (int n, ILogger<RequestLoggingTests> logger) =>
            {
                if (Interlocked.Increment(ref started) == Requests)
                {
                    allStarted.SetResult();
                }
                await allStarted.Task;
                logger.LogWarning("request {N}", n);
                return "ok";
            }));
        using var client = server.CreateClient();
        var collector = server.Services.GetRequiredService<FakeLogCollector>();

        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(n =>
            client.GetAsync($"/test/log/{n}", TestContext.Current.CancellationToken)));
        server.Services.GetRequiredService<ILogger<RequestLoggingTests>>().LogWarning("after the requests");

        var records = collector.GetSnapshot();
        for (var n = 0; n < Requests; n++)
        {
            var requestId = responses[n].Headers.GetValues("Request-Id").Single();
            var line = Assert.Single(records, r => r.Message == $"request {n}");
            Assert.Equal([requestId], RequestIds(line));
            responses[n].Dispose();
        }
        Assert.Empty(RequestIds(Assert.Single(records, r => r.Message == "after the requests")));
    }

    static IEnumerable<string?> RequestIds(FakeLogRecord record) =>
        record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>()
            .SelectMany(pairs => pairs).Where(p => p.Key == "RequestId").Select(p => (string?)p.Value);
}
