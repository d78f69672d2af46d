using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Hatbox.Tests.Storage;

/// <summary>The storage endpoints as a client calls them, with the key of one tenant.</summary>
internal sealed class StorageCalls(HttpClient client, string apiKey)
{
    public HttpClient Client => client;

    public Task<HttpResponseMessage> UploadAsync(byte[] bytes, string? filename = "hello.txt", string? path = null, string? contentType = "text/plain") =>
        UploadAsync(new ByteArrayContent(bytes), filename, path, contentType);

    public Task<HttpResponseMessage> UploadAsync(HttpContent file, string? filename = "hello.txt", string? path = null, string? contentType = "text/plain")
    {
        // Browsers and Node send part headers as UTF-8; HttpClient's default is Latin-1.
        var form = new MultipartFormDataContent { HeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        if (contentType is not null)
        {
            file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (filename is null)
        {
            form.Add(file, "file");
        }
        else
        {
            // Set by hand: HttpClient would quote and escape the name, which is what is under test.
            file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"file\"; filename=\"{filename}\"");
            form.Add(file);
        }
        if (path is not null)
        {
            form.Add(new StringContent(path), "path");
        }
        return SendAsync(HttpMethod.Post, "/storage/upload", form);
    }

    public Task<HttpResponseMessage> FetchAsync(string fileId) => SendAsync(HttpMethod.Get, $"/storage/fetch/{Uri.EscapeDataString(fileId)}");

    public Task<HttpResponseMessage> FetchByPathAsync(string filepath) =>
        SendAsync(HttpMethod.Get, $"/storage/fetch-by-path?filepath={Uri.EscapeDataString(filepath)}");

    public Task<HttpResponseMessage> DeleteAsync(string fileId) => SendAsync(HttpMethod.Delete, $"/storage/delete/{Uri.EscapeDataString(fileId)}");

    /// <summary>Uploads and returns the answer's <c>file</c> object, asserting success.</summary>
    public async Task<JsonElement> UploadOkAsync(byte[] bytes, string filename = "hello.txt", string? path = null, string? contentType = "text/plain")
    {
        using var response = await UploadAsync(bytes, filename, path, contentType);
        return await FileOfAsync(response);
    }

    public static async Task<JsonElement> FileOfAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        Assert.True(document.RootElement.GetProperty("success").GetBoolean());
        return document.RootElement.GetProperty("file").Clone();
    }

    /// <summary>Downloads through a signed URL, with no key.</summary>
    public Task<HttpResponseMessage> DownloadAsync(string url, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        configure?.Invoke(request);
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
