using Amazon.S3;
using Amazon.S3.Model;

namespace Hatbox.Features.Storage.S3;

/// <summary>
/// An object read as a seekable stream, so the download endpoint's range processing works as it
/// does on local files: a ranged GET from the current position is opened on the first read after a
/// seek and read through; nothing is buffered beyond the HTTP client's own buffer.
/// </summary>
internal sealed class S3ReadStream(IAmazonS3 client, string bucket, string objectKey, long length) : Stream
{
    GetObjectResponse? _response;
    Stream? _body;
    long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            CloseBody();
            _position = target;
        }
        return _position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }
        if (_body is null)
        {
            _response = await client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket,
                Key = objectKey,
                ByteRange = new ByteRange(_position, length - 1),
            }, cancellationToken);
            _body = _response.ResponseStream;
        }
        var read = await _body.ReadAsync(buffer, cancellationToken);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    void CloseBody()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
        }
        base.Dispose(disposing);
    }
}
