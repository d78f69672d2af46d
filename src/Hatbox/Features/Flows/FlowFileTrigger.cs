using System.Text;
using System.Text.Json.Nodes;
using Hatbox.Common;
using Hatbox.Common.Errors;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Flows.Steps;
using Hatbox.Features.Storage;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Hatbox.Features.Flows;

/// <summary>
/// <c>POST /flows/file/{flowId}</c>: a multipart body with a <c>file</c> part, or a <c>url</c> field
/// that the server downloads under the same address rules as <c>http</c> steps. The file is stored in
/// the workspace's storage (under <c>flows/{flowId}/</c>) and described in <c>input.file</c>; the
/// other text fields become the rest of <c>input</c>.
/// </summary>
internal sealed class FlowFileTrigger(FileUploads uploads, OutboundHttp http, IOptions<StorageOptions> storage)
{
    const int TextBudgetBytes = 64 * 1024;

    public static UploadBodyLimit BodyLimit(IServiceProvider services) =>
        new(services.GetRequiredService<IOptions<StorageOptions>>().Value.MaxUploadBytes + MultipartUpload.OverheadBytes);

    public async Task<Outcome<string>> ReceiveAsync(HttpContext context, ApiCaller caller, string flowId, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary) is not { Length: > 0 and <= 70 } boundary)
        {
            return StorageErrors.NotMultipart;
        }
        if (context.Request.ContentLength > storage.Value.MaxUploadBytes + MultipartUpload.OverheadBytes)
        {
            return StorageErrors.FileTooLarge(storage.Value.MaxUploadBytes);
        }
        var input = new JsonObject();
        StoredFile? file = null;
        string? url = null;
        var textBytes = 0;
        var folder = $"flows/{flowId}";
        var reader = new MultipartReader(boundary.ToString(), context.Request.Body, 64 * 1024);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || HeaderUtilities.RemoveQuotes(disposition.Name) is not { Length: > 0 } nameSegment)
                {
                    return StorageErrors.Malformed("Each part needs Content-Disposition: form-data with a name.");
                }
                var name = nameSegment.ToString();
                if (name == "file")
                {
                    if (file is not null)
                    {
                        return StorageErrors.OneFileOnly;
                    }
                    var filename = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value
                        : disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : "file";
                    var stored = await uploads.StoreAsync(caller, folder, filename ?? "file", section.ContentType, section.Body, cancellationToken);
                    if (!stored.Succeeded)
                    {
                        return stored.Error!;
                    }
                    file = stored.Value;
                    continue;
                }
                using var text = new StreamReader(section.Body, Encoding.UTF8);
                var value = await text.ReadToEndAsync(cancellationToken);
                textBytes += Encoding.UTF8.GetByteCount(value);
                if (textBytes > TextBudgetBytes)
                {
                    return ApiError.TooLarge();
                }
                if (name == "url")
                {
                    url = value;
                }
                else
                {
                    input[name] = value;
                }
            }
        }
        catch (Exception error) when (error is InvalidDataException or IOException && error is not BadHttpRequestException)
        {
            return StorageErrors.Malformed("The multipart body is malformed or ended early.");
        }
        if (file is not null && url is not null)
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "Send a file or a url, not both.", "url");
        }
        if (file is null && url is null)
        {
            return ApiError.BadRequest(ErrorCodes.ParameterMissing, "Send the file in a part named file, or its address in url.", "file");
        }
        if (url is not null)
        {
            var downloaded = await DownloadAsync(url, caller, folder, cancellationToken);
            if (!downloaded.Succeeded)
            {
                return downloaded.Error!;
            }
            file = downloaded.Value;
        }
        input["file"] = new JsonObject
        {
            ["id"] = file!.Id,
            ["name"] = file.Filename,
            ["size"] = file.Size,
            ["content_type"] = file.ContentType,
            ["path"] = file.Path,
        };
        return input.ToJsonString();
    }

    async Task<Outcome<StoredFile>> DownloadAsync(string url, ApiCaller caller, string folder, CancellationToken cancellationToken)
    {
        if (!OutboundHttp.IsAcceptableUrl(url, out var uri))
        {
            return FlowErrors.UrlNotAllowed("url must be an absolute http or https URL without credentials.");
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(http.Timeout);
        try
        {
            using var response = await http.Client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                return ApiError.BadRequest(ErrorCodes.ParameterInvalid, $"Downloading the url answered {(int)response.StatusCode}.", "url");
            }
            var name = Path.GetFileName(response.RequestMessage?.RequestUri?.AbsolutePath ?? uri.AbsolutePath);
            await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
            return await uploads.StoreAsync(caller, folder, string.IsNullOrEmpty(name) ? "download" : name,
                response.Content.Headers.ContentType?.ToString(), body, limit.Token);
        }
        catch (HttpRequestException error) when (OutboundHttp.RefusalIn(error) is { } refusal)
        {
            return FlowErrors.UrlNotAllowed(refusal.Message);
        }
        catch (HttpRequestException)
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "The url could not be downloaded.", "url");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "Downloading the url took too long.", "url");
        }
    }
}
