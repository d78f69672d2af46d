using System.Net.Http.Headers;
using System.Text.Json;

namespace Hatbox.Tests.ScaleOut;

/// <summary>Requests with an API key to one node, as the multi-node tests send them (<c>using static</c>).</summary>
internal static class KeyedRequests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request, Ct);
    }

    /// <summary>A GET without a body, else a POST of it as JSON.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string key, object? body) =>
        body is null
            ? SendAsync(client, HttpMethod.Get, path, key)
            : SendAsync(client, HttpMethod.Post, path, key, JsonContent.Create(body));

    /// <summary>Sends as <see cref="SendAsync(HttpClient, string, string, object?)"/>, asserts a 2xx and answers the JSON.</summary>
    public static async Task<JsonElement> OkAsync(HttpClient client, string path, string key, object? body)
    {
        using var response = await SendAsync(client, path, key, body);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
