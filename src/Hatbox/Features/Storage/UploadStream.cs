using System.Security.Cryptography;

namespace Hatbox.Features.Storage;

/// <summary>
/// The file part of an upload as the blob store reads it: counts and hashes the bytes as they
/// pass, so the file is never held in memory, and stops one byte past the cap.
/// </summary>
internal sealed class UploadStream(Stream source, long maxBytes) : Stream
{
    readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    /// <summary>The client's side failed (a malformed or cut-off body), as opposed to our disk.</summary>
    public bool SourceFailed { get; private set; }

    public byte[] GetSha256() => _sha256.GetHashAndReset();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await source.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            SourceFailed = true;
            throw;
        }
        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            throw new FileTooLargeException();
        }
        _sha256.AppendData(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Uploads are read asynchronously.");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
        }
        base.Dispose(disposing);
    }
}
