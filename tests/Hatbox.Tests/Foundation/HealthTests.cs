using System.Net;
using System.Text.Json;
using Hatbox.Data;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Foundation;

public sealed class HealthTests
{
    [Fact]
    public async Task HealthAnswersWithTheSdkFieldsAndNeedsNoKey()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("uptime").GetDouble() >= 0);
        Assert.Equal("2025-10-28", body.GetProperty("version").GetString());
        Assert.Equal("production", body.GetProperty("environment").GetString());
        Assert.True(body.GetProperty("timestamp").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal("ok", body.GetProperty("services").GetProperty("database").GetString());
        Assert.StartsWith("req_", response.Headers.GetValues("Request-Id").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerInfoAnswersNameVersionAndEnvironmentOnly()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("Hatbox", body.GetProperty("name").GetString());
        Assert.Equal("2025-10-28", body.GetProperty("version").GetString());
        Assert.Equal("production", body.GetProperty("environment").GetString());
        var fields = body.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Subset(new HashSet<string> { "success", "name", "version", "environment", "serverVersion" }, fields);
    }

    [Fact]
    public async Task HealthTurnsDegradedWhenThePlatformDatabaseStopsAnswering()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.CreateClient();
        var database = server.Services.GetRequiredService<PlatformDatabase>();

        File.Delete(database.FilePath);
        var status = await PollStatusAsync(client, "degraded");

        Assert.Equal("degraded", status.GetProperty("status").GetString());
        Assert.Equal("down", status.GetProperty("services").GetProperty("database").GetString());
    }

    static async Task<JsonElement> PollStatusAsync(HttpClient client, string wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
            var body = await ReadJsonAsync(response);
            if (body.GetProperty("status").GetString() == wanted || DateTime.UtcNow > deadline)
            {
                return body;
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return document.RootElement.Clone();
    }
}
