using Hatbox.Common;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Plans;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Hatbox.Features.Storage;

/// <summary>
/// One upload from body to row: bytes first (streamed, flushed, renamed into place by the blob
/// store), then the row in one transaction with the quota check, so a file is visible only once
/// its bytes are safe. Uploading to a path that is taken replaces that file: the new file gets a
/// new id, the old row goes in the same transaction, and the old bytes after it commits, so
/// earlier links to the old file answer 404.
/// </summary>
internal sealed class FileUploads(
    HatboxDbContext db, IBlobStore blobs, StorageQuota quota, IOptions<StorageOptions> options, TimeProvider time)
{
    static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public async Task<Outcome<StoredFile>> UploadAsync(HttpContext http, ApiCaller caller, CancellationToken cancellationToken)
    {
        // Kestrel's own limit for this endpoint is UploadBodyLimit (endpoint metadata); the exact cap is ours.
        var maxBytes = options.Value.MaxUploadBytes;
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return StorageErrors.NotMultipart;
        }
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary);
        if (boundary.Length is 0 or > 70)
        {
            return StorageErrors.Malformed("multipart/form-data needs a boundary parameter of 1 to 70 characters.");
        }
        // A body that cannot fit is refused before a byte of it is read.
        if (http.Request.ContentLength is { } length)
        {
            if (length > maxBytes + MultipartUpload.OverheadBytes)
            {
                return StorageErrors.FileTooLarge(maxBytes);
            }
            // The path may come after the file, so assume the upload replaces the workspace's largest file.
            var fileAtLeast = Math.Max(0, length - MultipartUpload.OverheadBytes);
            var largest = await db.StoredFiles.Where(f => f.WorkspaceId == caller.WorkspaceId).MaxAsync(f => (long?)f.Size, cancellationToken) ?? 0;
            if (fileAtLeast > largest
                && await quota.CheckAsync(caller.OrganizationId, caller.Plan, fileAtLeast - largest, cancellationToken) is { } full)
            {
                return full;
            }
        }

        var key = new BlobKey(caller.WorkspaceId, Ids.New("file"));
        var received = await MultipartUpload.ReadAsync(http.Request.Body, boundary.ToString(), blobs, key, maxBytes, cancellationToken);
        if (!received.Succeeded)
        {
            return received.Error!;
        }
        var committed = false;
        try
        {
            var file = Describe(key, received.Value!);
            if (!file.Succeeded)
            {
                return file.Error!;
            }
            // The bytes are safe on disk: finish the commit even if the client goes away now.
            var replaced = await CommitAsync(file.Value!, caller, CancellationToken.None);
            if (!replaced.Succeeded)
            {
                return replaced.Error!;
            }
            committed = true;
            Telemetry.HatboxMetrics.Uploaded(file.Value!.Size);
            if (replaced.Value is { Length: > 0 } oldId)
            {
                await blobs.DeleteAsync(key with { BlobId = oldId }, CancellationToken.None);
            }
            return file.Value!;
        }
        finally
        {
            if (!committed)
            {
                await blobs.DeleteAsync(key, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Stores a file that another feature received or fetched (a flow's file trigger): the same
    /// path rules, size cap, quota and commit order as an upload.
    /// </summary>
    public async Task<Outcome<StoredFile>> StoreAsync(ApiCaller caller, string folder, string filename, string? contentType, Stream content,
        CancellationToken cancellationToken)
    {
        var key = new BlobKey(caller.WorkspaceId, Ids.New("file"));
        await using var counted = new UploadStream(content, options.Value.MaxUploadBytes);
        try
        {
            await blobs.WriteAsync(key, counted, cancellationToken);
        }
        catch (FileTooLargeException)
        {
            return StorageErrors.FileTooLarge(options.Value.MaxUploadBytes);
        }
        var file = Describe(key, new ReceivedUpload(filename, contentType, counted.BytesRead, counted.GetSha256(), folder));
        var replaced = file.Succeeded ? await CommitAsync(file.Value!, caller, CancellationToken.None) : file.Error!;
        if (!replaced.Succeeded)
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            return replaced.Error!;
        }
        if (replaced.Value is { Length: > 0 } oldId)
        {
            await blobs.DeleteAsync(key with { BlobId = oldId }, CancellationToken.None);
        }
        return file.Value!;
    }

    Outcome<StoredFile> Describe(BlobKey key, ReceivedUpload upload)
    {
        var folder = StoragePaths.NormalizeFolder(upload.Folder, MultipartUpload.PathField);
        if (!folder.Succeeded)
        {
            return folder.Error!;
        }
        // A part without a file name (curl -F 'file=<x') is still the file.
        var filename = StoragePaths.NormalizeFilename(upload.Filename ?? MultipartUpload.FileField, MultipartUpload.FileField);
        if (!filename.Succeeded)
        {
            return filename.Error!;
        }
        var path = StoragePaths.Combine(folder.Value!, filename.Value!, MultipartUpload.PathField);
        if (!path.Succeeded)
        {
            return path.Error!;
        }
        var now = time.GetUtcNow();
        return new StoredFile
        {
            Id = key.BlobId,
            WorkspaceId = key.WorkspaceId,
            Path = path.Value!,
            Filename = filename.Value!,
            ContentType = ContentTypeOf(upload.ContentType, filename.Value!),
            Size = upload.Size,
            Sha256 = upload.Sha256,
            // Millisecond precision, so the upload's answer and later fetches show the same time.
            UploadedAt = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)),
        };
    }

    /// <summary>
    /// Adds the row, replacing the file at the same path, within the plan's storage. SQLite runs
    /// the transaction with BEGIN IMMEDIATE, so concurrent uploads check the quota one at a time.
    /// Returns the replaced file's id, or an empty string.
    /// </summary>
    async Task<Outcome<string>> CommitAsync(StoredFile file, ApiCaller caller, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var replaced = await db.StoredFiles
            .Where(f => f.WorkspaceId == file.WorkspaceId && f.Path == file.Path)
            .Select(f => new { f.Id, f.Size })
            .FirstOrDefaultAsync(cancellationToken);
        // A replacement that is not larger always fits, even in an organization over its (lowered) plan.
        var growth = file.Size - (replaced?.Size ?? 0);
        if (growth > 0 && await quota.CheckAsync(caller.OrganizationId, caller.Plan, growth, cancellationToken) is { } full)
        {
            return full;
        }
        if (replaced is not null)
        {
            await db.StoredFiles.Where(f => f.WorkspaceId == file.WorkspaceId && f.Id == replaced.Id).ExecuteDeleteAsync(cancellationToken);
        }
        db.StoredFiles.Add(file);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return replaced?.Id ?? "";
    }

    /// <summary>
    /// The part's own type (normalised, <see cref="StorageContentType"/>) when it says something; else a
    /// guess from the name, as browsers do.
    /// </summary>
    static string ContentTypeOf(string? declared, string filename) =>
        StorageContentType.Normalize(declared) is { } normalized && !normalized.StartsWith(StorageContentType.Default, StringComparison.Ordinal)
            ? normalized
            : ContentTypes.TryGetContentType(filename, out var guessed) ? guessed : StorageContentType.Default;
}
