using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Storage;

/// <summary>
/// <c>/storage/…</c>, as the WorqHat SDK calls it (<c>client.storage</c>). The workspace is the
/// key's; another workspace's file ids answer 404 like ids that never existed.
/// </summary>
internal static class StorageEndpoints
{
    public static IEndpointRouteBuilder MapStorage(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/storage").WithTags("Storage").RequireApiKey();

        var maxUploadBytes = api.ServiceProvider.GetRequiredService<IOptions<StorageOptions>>().Value.MaxUploadBytes;
        group.MapPost("/upload", UploadFile).WithName("UploadFile")
            .WithMetadata(new UploadBodyLimit(maxUploadBytes + MultipartUpload.OverheadBytes));
        group.MapGet("/fetch/{fileId}", GetFile).WithName("GetFile");
        group.MapGet("/fetch-by-path", GetFileByPath).WithName("GetFileByPath");
        group.MapDelete("/delete/{fileId}", DeleteFile).WithName("DeleteFile");
        return api;
    }

    static async Task<Results<Ok<StoredFileEnvelope>, ApiError>> UploadFile(
        HttpContext http, ApiCaller caller, FileUploads uploads, DownloadUrls urls, CancellationToken ct)
    {
        var uploaded = await uploads.UploadAsync(http, caller, ct);
        return uploaded.Succeeded ? TypedResults.Ok(Envelope(uploaded.Value!, urls)) : uploaded.Error!;
    }

    static async Task<Results<Ok<StoredFileEnvelope>, ApiError>> GetFile(
        string fileId, ApiCaller caller, HatboxDbContext db, DownloadUrls urls, CrossTenantDenials denials, CancellationToken ct)
    {
        var file = await db.StoredFiles.AsNoTracking()
            .FirstOrDefaultAsync(f => f.WorkspaceId == caller.WorkspaceId && f.Id == fileId, ct);
        if (file is null)
        {
            return await NotFoundAsync(fileId, caller, db, denials, ct);
        }
        return TypedResults.Ok(Envelope(file, urls));
    }

    /// <summary>The 404 for a file id that is not the caller's; an id of another workspace is audited there.</summary>
    static async Task<ApiError> NotFoundAsync(string fileId, ApiCaller caller, HatboxDbContext db, CrossTenantDenials denials,
        CancellationToken ct)
    {
        var owner = await db.StoredFiles.AsNoTracking().Where(f => f.Id == fileId).Select(f => f.WorkspaceId).FirstOrDefaultAsync(ct);
        if (owner is not null && owner != caller.WorkspaceId)
        {
            await denials.RecordAsync(db, owner, caller, fileId, ct);
        }
        return StorageErrors.FileNotFound;
    }

    static async Task<Results<Ok<StoredFileEnvelope>, ApiError>> GetFileByPath(
        string? filepath, ApiCaller caller, HatboxDbContext db, DownloadUrls urls, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(filepath))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterMissing, "Name the file with ?filepath=folder/name.ext.", "filepath");
        }
        var path = StoragePaths.NormalizeFile(filepath, "filepath");
        if (!path.Succeeded)
        {
            return path.Error!;
        }
        var file = await db.StoredFiles.AsNoTracking()
            .FirstOrDefaultAsync(f => f.WorkspaceId == caller.WorkspaceId && f.Path == path.Value, ct);
        return file is null ? StorageErrors.FileNotFound : TypedResults.Ok(Envelope(file, urls));
    }

    /// <summary>Permanent: the row goes first, so every link stops at once; then the bytes.</summary>
    static async Task<Results<Ok<DeleteFileResponse>, ApiError>> DeleteFile(
        string fileId, ApiCaller caller, HatboxDbContext db, IBlobStore blobs, TimeProvider time, CrossTenantDenials denials,
        CancellationToken ct)
    {
        var deleted = await db.StoredFiles
            .Where(f => f.WorkspaceId == caller.WorkspaceId && f.Id == fileId)
            .ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return await NotFoundAsync(fileId, caller, db, denials, ct);
        }
        // A crash right here leaves bytes without a row, which nobody can reach and OrphanSweeper removes.
        await blobs.DeleteAsync(new BlobKey(caller.WorkspaceId, fileId), CancellationToken.None);
        return TypedResults.Ok(new DeleteFileResponse(true, "File deleted.", time.GetUtcNow()));
    }

    static StoredFileEnvelope Envelope(StoredFile file, DownloadUrls urls) => new(true, new StoredFileResponse(
        file.Id, file.Filename, file.Path, file.Size, file.ContentType, file.UploadedAt, urls.Create(file.WorkspaceId, file.Id)));
}
