using System.Net.Http.Json;
using System.Text.Json;

namespace Hatbox.Client;

/// <summary><c>client.flows</c>: run a workflow with a payload or a file, and read its runs.</summary>
public sealed class FlowsClient
{
    readonly HatboxTransport _transport;

    internal FlowsClient(HatboxTransport transport) => _transport = transport;

    /// <summary><c>POST /flows/trigger/{id}</c>: waits for the run; <see cref="FlowRun.Status"/> is <c>running</c> when it outlasts the wait.</summary>
    public async Task<FlowRun> TriggerAsync(string flowId, object? payload = null, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await _transport.SendAsync(HttpMethod.Post, $"/flows/trigger/{Uri.EscapeDataString(flowId)}",
            () => JsonContent.Create(payload ?? new { }, options: HatboxTransport.Json), options, cancellationToken).ConfigureAwait(false);
        return await HatboxTransport.ReadAsync<FlowRun>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>POST /flows/file/{id}</c> with the file streamed in a part named <c>file</c>.</summary>
    public async Task<FlowRun> TriggerWithFileAsync(string flowId, Stream file, string fileName, RequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var start = file.CanSeek ? file.Position : 0;
        HttpContent Build()
        {
            if (file.CanSeek)
            {
                file.Position = start;
            }
            return new MultipartFormDataContent { { new StreamContent(new NonDisposingStream(file)), "file", fileName } };
        }
        using var response = await _transport.SendAsync(HttpMethod.Post, $"/flows/file/{Uri.EscapeDataString(flowId)}", Build, options,
            cancellationToken, replayable: file.CanSeek).ConfigureAwait(false);
        return await HatboxTransport.ReadAsync<FlowRun>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /flows/runs/{id}</c>: one run with its steps.</summary>
    public Task<JsonElement> GetRunAsync(string runId, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<JsonElement>(HttpMethod.Get, $"/flows/runs/{Uri.EscapeDataString(runId)}", null, options, cancellationToken);

    /// <summary><c>GET /flows/metrics</c>, filtered by the query fields the SDK sends (<c>status</c>, <c>start_date</c>…).</summary>
    public Task<JsonElement> GetMetricsAsync(IReadOnlyDictionary<string, string>? filters = null, RequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var query = filters is null || filters.Count == 0 ? ""
            : "?" + string.Join("&", filters.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
        return _transport.SendJsonAsync<JsonElement>(HttpMethod.Get, "/flows/metrics" + query, null, options, cancellationToken);
    }
}

/// <summary>A flow run's answer: <see cref="Data"/> is the last step's output.</summary>
public sealed record FlowRun(bool Success, string Message, [property: System.Text.Json.Serialization.JsonPropertyName("analytics_id")] string AnalyticsId,
    JsonElement? Data, string Status, DateTimeOffset Timestamp);
