using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Hatbox.Features.Storage;
using Hatbox.Features.Storage.S3;

namespace Hatbox.Features.Migration;

/// <summary>
/// Every file of the data folder's <c>files/</c> into the bucket, under the object key the S3 store
/// reads (<c>{workspaceId}/{fileId}</c>), each streamed through the store's own writer (one part
/// buffer at a time) while its SHA-256 is taken; afterwards each object is read back and hashed.
/// </summary>
internal sealed class FileMove(string dataDirectory, S3StorageOptions options)
{
    string Root => Path.Combine(dataDirectory, "files");

    /// <summary>The blobs of the source: unfinished <c>.part</c> uploads are not files and stay behind.</summary>
    public async Task<List<(BlobKey Key, long Bytes)>> ScanAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }
        var store = new LocalFolderBlobStore(Root);
        var files = new List<(BlobKey, long)>();
        await foreach (var key in store.ListAsync(DateTimeOffset.MaxValue, cancellationToken))
        {
            files.Add((key, new FileInfo(Path.Combine(Root, key.WorkspaceId, key.BlobId)).Length));
        }
        return files;
    }

    public async Task PrepareTargetAsync(CancellationToken cancellationToken)
    {
        // The store lists only what is older than its sweep grace; a clock far ahead makes that everything.
        using var store = S3BlobStore.Create(options, new FarAhead());
        try
        {
            await foreach (var key in store.ListAsync(DateTimeOffset.MaxValue, cancellationToken))
            {
                throw MoveFailure.NotEmpty($"The target bucket {options.Bucket} already holds files (e.g. {key.WorkspaceId}/{key.BlobId}). "
                    + "Move only into an empty bucket (docs/scale-out.md, \"Moving an embedded installation\").");
            }
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // No bucket yet: the first write makes it.
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or Common.Errors.StoreUnavailableException)
        {
            throw MoveFailure.Config($"The target bucket cannot be listed: {e.Message}");
        }
    }

    /// <summary>Uploads every file; answers the SHA-256 of each, as read from the source.</summary>
    public async Task<Dictionary<BlobKey, string>> CopyAsync(IReadOnlyList<(BlobKey Key, long Bytes)> files, CancellationToken cancellationToken)
    {
        using var store = S3BlobStore.Create(options, TimeProvider.System);
        var hashes = new Dictionary<BlobKey, string>();
        foreach (var (key, _) in files)
        {
            await using var file = new FileStream(Path.Combine(Root, key.WorkspaceId, key.BlobId), FileMode.Open, FileAccess.Read, FileShare.Read,
                bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var hashing = new HashingReadStream(file);
            await store.WriteAsync(key, hashing, cancellationToken);
            hashes[key] = hashing.Hex();
        }
        return hashes;
    }

    /// <summary>Reads every object back; answers the files whose size or SHA-256 differ from the source's.</summary>
    public async Task<List<string>> VerifyAsync(IReadOnlyList<(BlobKey Key, long Bytes)> files, Dictionary<BlobKey, string> hashes,
        CancellationToken cancellationToken)
    {
        using var store = S3BlobStore.Create(options, TimeProvider.System);
        var wrong = new List<string>();
        foreach (var (key, bytes) in files)
        {
            await using var stream = await store.OpenReadAsync(key, cancellationToken);
            if (stream is null)
            {
                wrong.Add($"{key.WorkspaceId}/{key.BlobId} (missing)");
                continue;
            }
            using var sha = SHA256.Create();
            var hash = Convert.ToHexStringLower(await sha.ComputeHashAsync(stream, cancellationToken));
            if (stream.Length != bytes || hash != hashes[key])
            {
                wrong.Add($"{key.WorkspaceId}/{key.BlobId}");
            }
        }
        return wrong;
    }

    sealed class FarAhead : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddYears(100);
    }
}
