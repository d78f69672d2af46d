using System.Text;
using Hatbox.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;

namespace Hatbox.Tests.Foundation;

public sealed class RequestLoggingTests
{
    [Fact]
    public async Task EachRequestLogsOneLineWithItsIdAndNeverTheKeyOrBody()
    {
        await using var server = await TestServer.StartAsync(configureBuilder: builder => builder.Logging.AddFakeLogging());
        using var client = server.CreateClient();
        var collector = server.Services.GetRequiredService<FakeLogCollector>();
        collector.Clear();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/health?token=query-secret")
        {
            Content = new StringContent("""{"password":"body-secret"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer wh_live_header-secret");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var requestId = response.Headers.GetValues("Request-Id").Single();
        var records = collector.GetSnapshot();
        var accessLine = Assert.Single(records, r => r.Category == "Hatbox.Pipeline.RequestContextMiddleware");
        var fields = accessLine.StructuredState!.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("POST", fields["Method"]);
        Assert.Equal("/health", fields["Path"]);
        Assert.Equal("405", fields["StatusCode"]);
        Assert.Equal(requestId, fields["RequestId"]);
        Assert.True(fields.ContainsKey("DurationMs"));
        foreach (var record in records)
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
