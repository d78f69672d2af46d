using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Hatbox.Common.Errors;

namespace Hatbox.Features.Storage.S3;

/// <summary>
/// Blobs as objects <c>{workspaceId}/{fileId}</c> in one bucket. Writes stream through one part
/// buffer at a time (a single PUT for small files, a multipart upload for large ones), reads stream
/// from ranged GETs, so memory stays flat whatever the file's size. S3 makes an object visible only
/// when its PUT or multipart completion succeeds, which gives the all-or-nothing write
/// <see cref="IBlobStore"/> asks for; a failed multipart upload is aborted.
/// </summary>
internal sealed class S3BlobStore(IAmazonS3 client, string bucket, TimeProvider time) : IBlobStore, IDisposable
{
    /// <summary>S3's smallest part (all but the last must be at least 5 MiB); also the buffer each upload holds.</summary>
    internal const int PartBytes = 5 * 1024 * 1024;

    /// <summary>What a small file is read into first (a size ArrayPool.Shared pools as it is).</summary>
    const int SmallBytes = 256 * 1024;

    /// <summary>
    /// Other nodes share the bucket: an upload another node runs right now looks like an orphan or an
    /// unfinished upload to a node that just started. Only what is older than this is swept.
    /// </summary>
    static readonly TimeSpan SweepGrace = TimeSpan.FromHours(6);

    /// <summary>Keys per listing page (S3's most); tests make it small to walk several pages.</summary>
    internal int ListPageSize { get; set; } = 1000;

    readonly SemaphoreSlim _bucketCheck = new(1, 1);
    volatile bool _bucketReady;

    public static S3BlobStore Create(S3StorageOptions options, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(options.ServiceUrl) || string.IsNullOrWhiteSpace(options.Bucket))
        {
            throw new InvalidOperationException("Storage:Provider is s3: set Storage:S3:ServiceUrl and Storage:S3:Bucket.");
        }
        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // Checksums only where S3 requires them: S3-compatible servers (s3rver, older MinIO)
            // reject the trailing-checksum chunked uploads the SDK sends by default.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        AWSCredentials credentials = options.AccessKey is { Length: > 0 } access
            ? new BasicAWSCredentials(access, options.SecretKey ?? "")
            : new AnonymousAWSCredentials();
        return new S3BlobStore(new AmazonS3Client(credentials, config), options.Bucket, time);
    }

    static string ObjectKey(BlobKey key) => BlobKey.IsValid(key.WorkspaceId, key.BlobId)
        ? $"{key.WorkspaceId}/{key.BlobId}"
        : throw new ArgumentException("Blob keys are ids.", nameof(key));

    public async Task WriteAsync(BlobKey key, Stream content, CancellationToken cancellationToken)
    {
        try
        {
            await WriteObjectAsync(key, content, cancellationToken);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw new StoreUnavailableException(StoreNames.Storage, e);
        }
    }

    async Task WriteObjectAsync(BlobKey key, Stream content, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        await EnsureBucketAsync(cancellationToken);
        // Most files are small: they are read into a pooled buffer of SmallBytes and sent in one PUT.
        var small = ArrayPool<byte>.Shared.Rent(SmallBytes);
        try
        {
            var filled = await FillAsync(content, small, SmallBytes, cancellationToken);
            if (filled < SmallBytes)
            {
                await PutAsync(objectKey, small, filled, cancellationToken);
                return;
            }
            // A part buffer of its own for each larger upload, not one from ArrayPool.Shared: the pool
            // rounds 5 MiB up to 8 MiB and keeps every array returned to it for good, so each upload
            // left 8 MiB behind (UploadMemoryTests on S3: 8.7 MiB kept after a 40 MiB upload). This
            // one is garbage as soon as the upload ends.
            var part = GC.AllocateUninitializedArray<byte>(PartBytes);
            small.AsSpan(0, filled).CopyTo(part);
            filled += await FillAsync(content, part.AsMemory(filled), PartBytes - filled, cancellationToken);
            if (filled < PartBytes)
            {
                await PutAsync(objectKey, part, filled, cancellationToken);
                return;
            }
            await UploadInPartsAsync(objectKey, content, part, filled, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(small);
        }
    }

    async Task PutAsync(string objectKey, byte[] buffer, int length, CancellationToken cancellationToken) =>
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = objectKey,
            InputStream = new MemoryStream(buffer, 0, length, writable: false),
            AutoCloseStream = false,
            UseChunkEncoding = false,
        }, cancellationToken);

    async Task UploadInPartsAsync(string objectKey, Stream content, byte[] buffer, int filled, CancellationToken cancellationToken)
    {
        var upload = await client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket, Key = objectKey }, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            while (filled > 0)
            {
                var part = await client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = objectKey,
                    UploadId = upload.UploadId,
                    PartNumber = parts.Count + 1,
                    InputStream = new MemoryStream(buffer, 0, filled, writable: false),
                    PartSize = filled,
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(parts.Count + 1, part.ETag));
                filled = filled < PartBytes ? 0 : await FillAsync(content, buffer, PartBytes, cancellationToken);
            }
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = objectKey,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            // The client went away, the size cap tripped, or S3 failed: the parts must not linger (and cost).
            await TryAbortAsync(objectKey, upload.UploadId);
            throw;
        }
    }

    /// <summary>
    /// Best effort, so the upload's own error is the one reported: what an abort leaves (the server is
    /// gone, or a stand-in without abort) is invisible, never completed, and removed by
    /// <see cref="RemoveIncompleteAsync"/> or the bucket's <c>AbortIncompleteMultipartUpload</c> rule.
    /// </summary>
    async Task TryAbortAsync(string objectKey, string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = bucket,
                Key = objectKey,
                UploadId = uploadId,
            }, CancellationToken.None);
        }
        catch (AmazonServiceException)
        {
        }
    }

    /// <summary>Reads until <paramref name="count"/> bytes are in or the stream ends (a multipart section yields a few KiB per read).</summary>
    static Task<int> FillAsync(Stream source, byte[] buffer, int count, CancellationToken cancellationToken) =>
        FillAsync(source, buffer.AsMemory(), count, cancellationToken);

    static async Task<int> FillAsync(Stream source, Memory<byte> buffer, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < count && (read = await source.ReadAsync(buffer[filled..count], cancellationToken)) > 0)
        {
            filled += read;
        }
        return filled;
    }

    public async Task<Stream?> OpenReadAsync(BlobKey key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        try
        {
            var head = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = objectKey }, cancellationToken);
            return new S3ReadStream(client, bucket, objectKey, head.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw new StoreUnavailableException(StoreNames.Storage, e);
        }
    }

    public async Task DeleteAsync(BlobKey key, CancellationToken cancellationToken)
    {
        try
        {
            // S3 answers 204 for a key that is not there, which is what "already gone is not an error" asks.
            await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = ObjectKey(key) }, cancellationToken);
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            throw new StoreUnavailableException(StoreNames.Storage, e);
        }
    }

    /// <summary>
    /// Whether the bucket's server answers at all (the health probe): any S3 answer but a 5xx counts,
    /// a missing bucket too (it is made on the first upload).
    /// </summary>
    /// <summary>Why the last probe found the server not answering, for the log.</summary>
    public string? LastProbeFailure { get; private set; }

    public async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            // HEAD, not a listing: s3rver answers some listings with a 500 that says nothing about its health.
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, deadline.Token);
            return true;
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            LastProbeFailure = e.GetType().Name + ": " + e.Message;
            return false;
        }
        catch (AmazonServiceException)
        {
            return true;
        }
    }

    /// <summary>
    /// The server is down, unreachable, or failing (5xx) rather than refusing this request: the
    /// caller gets a 503 to retry. Errors of the client's own upload body and cancellations by the
    /// caller are not this.
    /// </summary>
    static bool Unreachable(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError }:
                case HttpRequestException or System.Net.Sockets.SocketException:
                // The SDK's own request timeout, not the caller's token.
                case OperationCanceledException:
                    return true;
            }
        }
        return false;
    }

    public async IAsyncEnumerable<BlobKey> ListAsync(DateTimeOffset writtenBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cutoff = SweepCutoff(writtenBefore);
        var request = new ListObjectsV2Request { BucketName = bucket, MaxKeys = ListPageSize };
        while (true)
        {
            if (await ListPageAsync(request, cancellationToken) is not { } page)
            {
                yield break;
            }
            foreach (var item in page.S3Objects ?? [])
            {
                if (TryParse(item.Key) is { } key && item.LastModified is { } modified && modified.ToUniversalTime() < cutoff.UtcDateTime)
                {
                    yield return key;
                }
            }
            if (page.IsTruncated != true)
            {
                yield break;
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>One page of the listing; none when the bucket is not there yet (made on the first upload), so a fresh node's sweep finds nothing instead of failing.</summary>
    async Task<ListObjectsV2Response?> ListPageAsync(ListObjectsV2Request request, CancellationToken cancellationToken)
    {
        try
        {
            return await client.ListObjectsV2Async(request, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            return null;
        }
    }

    public async Task<int> RemoveIncompleteAsync(DateTimeOffset startedBefore, CancellationToken cancellationToken)
    {
        var cutoff = SweepCutoff(startedBefore);
        var removed = 0;
        var request = new ListMultipartUploadsRequest { BucketName = bucket };
        while (true)
        {
            ListMultipartUploadsResponse page;
            try
            {
                page = await client.ListMultipartUploadsAsync(request, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotImplemented || e.ErrorCode == "NoSuchBucket")
            {
                // Stand-ins such as s3rver keep no unfinished uploads to list; a bucket not made yet has none.
                return removed;
            }
            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (TryParse(upload.Key) is not null && upload.Initiated is { } initiated && initiated.ToUniversalTime() < cutoff.UtcDateTime)
                {
                    await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
                    {
                        BucketName = bucket,
                        Key = upload.Key,
                        UploadId = upload.UploadId,
                    }, cancellationToken);
                    removed++;
                }
            }
            if (page.IsTruncated != true)
            {
                return removed;
            }
            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    DateTimeOffset SweepCutoff(DateTimeOffset requested)
    {
        var graced = time.GetUtcNow() - SweepGrace;
        return requested < graced ? requested : graced;
    }

    static BlobKey? TryParse(string objectKey)
    {
        var slash = objectKey.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return null;
        }
        var (workspaceId, blobId) = (objectKey[..slash], objectKey[(slash + 1)..]);
        return BlobKey.IsValid(workspaceId, blobId) ? new BlobKey(workspaceId, blobId) : null;
    }

    /// <summary>Creates the bucket on first use when it is missing (a fresh stand-in or a demo); an existing one is left as it is.</summary>
    async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady)
        {
            return;
        }
        await _bucketCheck.WaitAsync(cancellationToken);
        try
        {
            if (!_bucketReady)
            {
                try
                {
                    await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
                }
                catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict)
                {
                    // BucketAlreadyOwnedByYou / BucketAlreadyExists: it is there.
                }
                _bucketReady = true;
            }
        }
        finally
        {
            _bucketCheck.Release();
        }
    }

    public void Dispose()
    {
        client.Dispose();
        _bucketCheck.Dispose();
    }
}
