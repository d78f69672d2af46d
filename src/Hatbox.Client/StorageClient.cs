using System.Net.Http.Headers;

namespace Hatbox.Client;

/// <summary><c>client.storage</c>: files up and down as streams, never whole in memory.</summary>
public sealed class StorageClient
{
    readonly HatboxTransport _transport;

    internal StorageClient(HatboxTransport transport) => _transport = transport;

    /// <summary>
    /// <c>POST /storage/upload</c>, streaming <paramref name="content"/>. A stream that can seek is
    /// rewound for a retry; one that cannot is sent once.
    /// </summary>
    public async Task<StoredFile> UploadAsync(Stream content, string fileName, string? path = null, string? contentType = null,
        RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var start = content.CanSeek ? content.Position : 0;
        HttpContent Build()
        {
            if (content.CanSeek)
            {
                content.Position = start;
            }
            var file = new StreamContent(new NonDisposingStream(content));
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
            var form = new MultipartFormDataContent { { file, "file", fileName } };
            if (path is not null)
            {
                form.Add(new StringContent(path), "path");
            }
            return form;
        }
        using var response = await _transport.SendAsync(HttpMethod.Post, "/storage/upload", Build, options, cancellationToken, replayable: content.CanSeek)
            .ConfigureAwait(false);
        return (await HatboxTransport.ReadAsync<StoredFileAnswer>(response, cancellationToken).ConfigureAwait(false)).File;
    }

    /// <summary><c>GET /storage/fetch/{id}</c>: the file's details and a download URL valid for an hour.</summary>
    public async Task<StoredFile> GetAsync(string fileId, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        (await _transport.SendJsonAsync<StoredFileAnswer>(HttpMethod.Get, $"/storage/fetch/{Uri.EscapeDataString(fileId)}", null, options, cancellationToken)
            .ConfigureAwait(false)).File;

    /// <summary><c>GET /storage/fetch-by-path?filepath=</c>.</summary>
    public async Task<StoredFile> GetByPathAsync(string filePath, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        (await _transport.SendJsonAsync<StoredFileAnswer>(HttpMethod.Get, "/storage/fetch-by-path" + DbClient.Query("filepath", filePath), null, options,
            cancellationToken).ConfigureAwait(false)).File;

    /// <summary>The file's bytes through its signed URL, as a stream read from the network; dispose it.</summary>
    public async Task<Stream> DownloadAsync(StoredFile file, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var url = new Uri(file.Url);
        var response = await _transport.SendAsync(HttpMethod.Get, url.PathAndQuery, null, options, cancellationToken).ConfigureAwait(false);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>DELETE /storage/delete/{id}</c>.</summary>
    public Task<DeletedFile> DeleteAsync(string fileId, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<DeletedFile>(HttpMethod.Delete, $"/storage/delete/{Uri.EscapeDataString(fileId)}", null, options, cancellationToken);

    sealed record StoredFileAnswer(bool Success, StoredFile File);
}

public sealed record StoredFile(string Id, string Filename, string Path, long Size, string ContentType, DateTimeOffset UploadedAt, string Url);

public sealed record DeletedFile(bool Success, string Message, DateTimeOffset DeletedAt);
