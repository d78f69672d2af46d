using System.Net;
using System.Text.Json;
using Hatbox.Common;
using Hatbox.Features.Flows;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Flows;

/// <summary>
/// One tenant's flows: definitions saved through the same service as <c>/v1</c> and the CLI
/// (setup), triggers and run reads over HTTPS with the tenant's key, as the SDK sends them.
/// </summary>
public sealed class FlowCalls(TestServer server, HttpClient http, TestTenant tenant)
{
    public TestTenant Tenant => tenant;

    public static async Task<FlowCalls> ForNewTenantAsync(TestServer server, HttpClient http) =>
        new(server, http, await TestTenant.CreateAsync(server));

    /// <summary>Saves a flow document (an anonymous object or JSON text) and answers its id.</summary>
    public async Task<string> CreateAsync(object document)
    {
        var element = document is string text ? JsonDocument.Parse(text).RootElement : JsonSerializer.SerializeToElement(document);
        await using var scope = server.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<FlowService>()
            .CreateAsync(tenant.WorkspaceId, element, Actor.Cli, TestContext.Current.CancellationToken);
        Assert.True(created.Succeeded, created.Error?.Message);
        return created.Value!.FlowId;
    }

    public Task<HttpResponseMessage> TriggerAsync(string flowId, object? body = null, string? apiKey = null) =>
        SendAsync(HttpMethod.Post, $"/flows/trigger/{flowId}", JsonContent.Create(body ?? new { }), apiKey);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? apiKey = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", apiKey ?? tenant.ApiKey);
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Triggers and asserts 200 with <c>success</c>; answers the body (<c>data</c> is the flow's output).</summary>
    public async Task<JsonElement> RunOkAsync(string flowId, object? body = null)
    {
        using var response = await TriggerAsync(flowId, body);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Triggers and asserts <c>422 flow_run_failed</c>; answers the envelope (with <c>analytics_id</c>, <c>failed_step</c>, <c>step_error</c>).</summary>
    public async Task<JsonElement> RunFailsAsync(string flowId, object? body = null)
    {
        using var response = await TriggerAsync(flowId, body);
        return await ErrorAssert.IsErrorAsync(response, HttpStatusCode.UnprocessableEntity, "flow_run_failed");
    }

    public async Task<JsonElement> GetRunAsync(string runId)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/flows/runs/{runId}");
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string StepErrorCode(JsonElement failed) => failed.GetProperty("step_error").GetProperty("code").GetString()!;
}
