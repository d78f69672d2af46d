using System.Security.Cryptography;
using Amazon.S3.Model;
using Hatbox.Common;
using Hatbox.Features.Storage;
using Hatbox.Features.Storage.S3;
using Hatbox.Tests.Infrastructure;
using Hatbox.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Hatbox.Tests.ScaleOut;

/// <summary>The S3 blob store against the s3rver stand-in (HATBOX_TEST_S3), below the HTTP layer.</summary>
public sealed class S3BlobStoreTests : IDisposable
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    readonly string _bucket = "hb-blobs-" + Ids.New("b")[2..14].ToLowerInvariant();
    readonly S3BlobStore _store;

    public S3BlobStoreTests()
    {
        _store = S3BlobStore.Create(new S3StorageOptions
        {
            ServiceUrl = ScaleOutStores.RequireS3(),
            Bucket = _bucket,
            AccessKey = ScaleOutStores.S3AccessKey,
            SecretKey = ScaleOutStores.S3SecretKey,
        }, _time);
    }

    static BlobKey NewKey() => new(Ids.New("ws"), Ids.New("file"));

    [Fact]
    public async Task ALargeBlobGoesUpInPartsAndComesBackWholeAndFromAnyOffset()
    {
        const long Length = 2L * S3BlobStore.PartBytes + 12_345;
        var key = NewKey();

        await _store.WriteAsync(key, new PatternStream(Length), Ct);

        await using var read = await _store.OpenReadAsync(key, Ct);
        Assert.NotNull(read);
        Assert.True(read.CanSeek);
        Assert.Equal(Length, read.Length);
        Assert.Equal(Expected(0, Length), await HashAsync(read));
        read.Seek(S3BlobStore.PartBytes - 7, SeekOrigin.Begin);
        Assert.Equal(Expected(S3BlobStore.PartBytes - 7, Length), await HashAsync(read));
        using var s3 = ScaleOutStores.S3Client();
        var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket }, Ct);
        Assert.Equal([$"{key.WorkspaceId}/{key.BlobId}"], objects.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task AWriteThatFailsMidwayLeavesNoObjectAndNoUnfinishedUpload()
    {
        var key = NewKey();
        var failing = new FailingStream(new PatternStream(3L * S3BlobStore.PartBytes), failAfter: S3BlobStore.PartBytes + 100);

        await Assert.ThrowsAsync<IOException>(() => _store.WriteAsync(key, failing, Ct));

        // The client's error is the one that surfaces, not the abort's; s3rver cannot abort or list
        // unfinished uploads, so what is checked here is that nothing became an object.
        Assert.Null(await _store.OpenReadAsync(key, Ct));
        using var s3 = ScaleOutStores.S3Client();
        var objects = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket }, Ct);
        Assert.Empty(objects.S3Objects ?? []);
        Assert.Equal(0, await _store.RemoveIncompleteAsync(DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task DeletingRemovesTheObjectAndDeletingAgainIsNotAnError()
    {
        var key = NewKey();
        await _store.WriteAsync(key, new MemoryStream([1, 2, 3]), Ct);

        await _store.DeleteAsync(key, Ct);
        await _store.DeleteAsync(key, Ct);

        Assert.Null(await _store.OpenReadAsync(key, Ct));
    }

    [Fact]
    public async Task TheSweepSkipsWhatOtherNodesMayStillBeWritingAndListsOnlyOldBlobs()
    {
        var key = NewKey();
        await _store.WriteAsync(key, new MemoryStream([7]), Ct);

        // A node that just started asks for everything before "now": a blob written a moment ago may
        // be another node's upload whose row is not committed yet, so it is not offered.
        Assert.Empty(await _store.ListAsync(DateTimeOffset.UtcNow.AddMinutes(1), Ct).ToListAsync(Ct));

        _time.Advance(TimeSpan.FromHours(7));
        Assert.Equal([key], await _store.ListAsync(DateTimeOffset.UtcNow.AddHours(7), Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task ASweepBeforeTheBucketExistsFindsNothingToDo()
    {
        // A fresh node's first sweep runs before any upload has made the bucket.
        Assert.Empty(await _store.ListAsync(DateTimeOffset.UtcNow.AddHours(7), Ct).ToListAsync(Ct));
        Assert.Equal(0, await _store.RemoveIncompleteAsync(DateTimeOffset.UtcNow.AddHours(7), Ct));
    }

    [Fact]
    public async Task TheSweepWalksEveryPageOfAListing()
    {
        // s3rver answered 500 to every truncated ListObjectsV2 (its continuation tokens need DES;
        // scripts/services.sh gives it OpenSSL's legacy provider), so a bucket of more than one page
        // (1000 keys) could not be swept. Pages of two keys here walk the same continuation tokens.
        _store.ListPageSize = 2;
        var keys = new List<BlobKey>();
        for (var i = 0; i < 5; i++)
        {
            keys.Add(NewKey());
            await _store.WriteAsync(keys[^1], new MemoryStream([(byte)i]), Ct);
        }
        using var s3 = ScaleOutStores.S3Client();
        // Not a blob key: never offered to the sweep (it would delete what is not Hatbox's).
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "stray.txt", ContentBody = "not ours", UseChunkEncoding = false }, Ct);

        _time.Advance(TimeSpan.FromHours(7));
        var listed = await _store.ListAsync(DateTimeOffset.UtcNow.AddHours(7), Ct).ToListAsync(Ct);

        Assert.Equal(keys.OrderBy(k => k.WorkspaceId + "/" + k.BlobId, StringComparer.Ordinal), listed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(256 * 1024 - 1)]
    [InlineData(256 * 1024)]
    [InlineData(256 * 1024 + 1)]
    [InlineData(S3BlobStore.PartBytes)]
    public async Task BlobsOfEverySizeAroundTheBuffersComeBackWhole(int length)
    {
        var key = NewKey();

        await _store.WriteAsync(key, new PatternStream(length), Ct);

        await using var read = await _store.OpenReadAsync(key, Ct);
        Assert.NotNull(read);
        Assert.Equal(length, read.Length);
        Assert.Equal(Expected(0, length), await HashAsync(read));
    }

    [Fact]
    public async Task KeysThatAreNotIdsAreRefusedBeforeAnyRequest()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.WriteAsync(new BlobKey("../other", "x"), new MemoryStream([1]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(new BlobKey("ws_a", "a/../../b"), Ct));
    }

    static string Expected(long from, long to)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        for (var position = from; position < to;)
        {
            var count = (int)Math.Min(buffer.Length, to - position);
            for (var i = 0; i < count; i++)
            {
                buffer[i] = PatternStream.At(position + i);
            }
            hash.AppendData(buffer, 0, count);
            position += count;
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    static async Task<string> HashAsync(Stream stream) => Convert.ToHexString(await SHA256.HashDataAsync(stream, Ct));

    public void Dispose() => _store.Dispose();

    /// <summary>A client that goes away mid-upload.</summary>
    sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        long _read;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= failAfter)
            {
                throw new IOException("The client went away.");
            }
            var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAfter - _read)], cancellationToken);
            _read += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
