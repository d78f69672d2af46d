using System.Net;
using System.Text.Json;
using Hatbox.Tests.Infrastructure;

namespace Hatbox.Tests.Db;

/// <summary>Calls the /db API with one tenant's key, as the SDK does: JSON bodies, the raw key header.</summary>
public sealed class DbClient(HttpClient http, string apiKey)
{
    public string ApiKey => apiKey;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>An array of params for <c>$1</c>, <c>$2</c>….</summary>
    public static object?[] Positional(params object?[] values) => values;

    public Task<HttpResponseMessage> QueryAsync(string sql, object? parameters = null, string? environment = null) =>
        SendAsync(HttpMethod.Post, "/db/query", new { query = sql, @params = parameters, environment });

    /// <summary>Sends and asserts 200 with <c>success: true</c>; answers the body.</summary>
    public async Task<JsonElement> OkAsync(HttpMethod method, string path, object? body = null)
    {
        using var response = await SendAsync(method, path, body);
        return await ReadOkAsync(response);
    }

    public async Task<JsonElement> QueryOkAsync(string sql, object? parameters = null, string? environment = null)
    {
        using var response = await QueryAsync(sql, parameters, environment);
        return await ReadOkAsync(response);
    }

    /// <summary>The statement's rows, read back through the API.</summary>
    public async Task<JsonElement[]> RowsAsync(string sql, object? parameters = null, string? environment = null) =>
        [.. (await QueryOkAsync(sql, parameters, environment)).GetProperty("data").EnumerateArray()];

    public async Task<long> CountAsync(string table, string? environment = null)
    {
        var path = $"/db/tables/{table}/count" + (environment is null ? "" : "?environment=" + environment);
        return (await OkAsync(HttpMethod.Get, path)).GetProperty("count").GetInt64();
    }

    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            return await ErrorAssert.IsErrorAsync(response, status, code);
        }
    }

    static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.True(body.GetProperty("success").GetBoolean());
        return body;
    }
}

/// <summary>Settings every /db test server starts with: limits high enough that rate limits never interfere.</summary>
public static class DbTestSettings
{
    public static Dictionary<string, string?> With(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Plans:free:RequestsPerMinute"] = "1000000",
            ["Plans:free:RequestsPerMonth"] = "1000000000",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>The tenant's folder under the data directory, where its database files live.</summary>
    public static string TenantFolder(TestServer server, TestTenant tenant) =>
        Path.Combine(server.DataDirectory, "tenants", tenant.WorkspaceId);
}
