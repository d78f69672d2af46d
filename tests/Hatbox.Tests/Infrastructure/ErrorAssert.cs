using System.Net;
using System.Text.Json;

namespace Hatbox.Tests.Infrastructure;

/// <summary>Checks the envelope of DESIGN.md §4: status, type and code, never the message text.</summary>
public static class ErrorAssert
{
    public static async Task<JsonElement> IsErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? type = null)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement.Clone();
        Assert.False(root.GetProperty("success").GetBoolean());
        var error = root.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (type is not null)
        {
            Assert.Equal(type, error.GetProperty("type").GetString());
        }
        Assert.False(string.IsNullOrEmpty(root.GetProperty("message").GetString()));
        var requestId = root.GetProperty("requestId").GetString();
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);
        Assert.Equal(requestId, response.Headers.GetValues("Request-Id").Single());
        return root;
    }
}
