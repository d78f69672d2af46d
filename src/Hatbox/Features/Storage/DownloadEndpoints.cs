using Hatbox.Common.Errors;
using Hatbox.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Hatbox.Features.Storage;

/// <summary>
/// <c>GET /storage/download/{workspaceId}/{fileId}?expires=…&amp;signature=…</c>: the signed links
/// that fetch and upload hand out. No API key (whoever holds the link may download), so it sits
/// outside the public API group. The signature is checked before anything is looked up.
/// </summary>
internal static partial class DownloadEndpoints
{
    public static IEndpointRouteBuilder MapStorageDownloads(this IEndpointRouteBuilder app)
    {
        app.MapMethods(DownloadUrls.RoutePrefix + "/{workspaceId}/{fileId}", [HttpMethods.Get, HttpMethods.Head], DownloadFile)
            .WithName("DownloadFile")
            .WithTags("Storage");
        return app;
    }

    static async Task<Results<FileStreamHttpResult, ApiError>> DownloadFile(
        string workspaceId, string fileId, string? expires, string? signature,
        DownloadUrls urls, HatboxDbContext db, IBlobStore blobs, HttpContext http, ILoggerFactory loggers, CancellationToken ct)
    {
        if (urls.Verify(workspaceId, fileId, expires, signature) is { } refused)
        {
            return refused;
        }
        var file = await db.StoredFiles.AsNoTracking()
            .FirstOrDefaultAsync(f => f.WorkspaceId == workspaceId && f.Id == fileId, ct);
        if (file is null)
        {
            return StorageErrors.FileNotFound;
        }
        var content = await blobs.OpenReadAsync(new BlobKey(file.WorkspaceId, file.Id), ct);
        if (content is null)
        {
            // Rows are written only after their bytes, so this is a lost disk or a hand-deleted file.
            LogBytesMissing(loggers.CreateLogger(typeof(DownloadEndpoints).FullName!), file.WorkspaceId, file.Id);
            return StorageErrors.FileNotFound;
        }

        var headers = http.Response.Headers;
        // Uploaded HTML or SVG must never run as a page of ours: no sniffing, no rendering, no scripts.
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        headers.CacheControl = "private";
        // Rows stored before content types were normalised at upload may still hold an unsendable one.
        var contentType = StorageContentType.Normalize(file.ContentType) ?? StorageContentType.Default;
        return TypedResults.Stream(content, contentType, file.Filename, file.UploadedAt,
            new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(file.Sha256)}\""), enableRangeProcessing: true);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored file {FileId} in {WorkspaceId} has a row but no bytes")]
    static partial void LogBytesMissing(ILogger logger, string workspaceId, string fileId);
}
