using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Microsoft.AspNetCore.Http;

namespace Hatbox.UnitTests.Binding;

/// <summary>Builds requests over an in-memory body and reads them through the binder.</summary>
internal static class TestRequests
{
    // Compares text as written, without \u escapes for é or &.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static HttpContext Context(string? contentType, byte[] body, bool sendLength = true)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = sendLength ? body.Length : null;
        return context;
    }

    public static HttpContext Context(string? contentType, string body, bool sendLength = true) =>
        Context(contentType, Encoding.UTF8.GetBytes(body), sendLength);

    public static async Task<BodyReadResult> ReadAsync(
        string? contentType, string body, BodyLimits? limits = null, bool sendLength = true) =>
        await RequestBodyReader.ReadAsync(Context(contentType, body, sendLength).Request,
            limits ?? BodyLimits.Default, TestContext.Current.CancellationToken);

    public static Task<BodyReadResult> ReadFormAsync(string body, BodyLimits? limits = null) =>
        ReadAsync("application/x-www-form-urlencoded", body, limits);

    public static Task<BodyReadResult> ReadJsonAsync(string body, BodyLimits? limits = null) =>
        ReadAsync("application/json", body, limits);

    /// <summary>The body as compact JSON, failing the test if reading failed.</summary>
    public static string Json(BodyReadResult result)
    {
        Assert.Null(result.Error);
        return Assert.IsType<JsonObject>(result.Body).ToJsonString(Readable);
    }

    /// <summary>The error, failing the test if reading succeeded.</summary>
    public static ApiError Error(BodyReadResult result)
    {
        Assert.Null(result.Body);
        return Assert.IsType<ApiError>(result.Error);
    }
}
