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
}
