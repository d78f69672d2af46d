namespace Hatbox.Features.Storage.S3;

/// <summary><c>Storage:S3:*</c>: the S3-compatible bucket files go to when <c>Storage:Provider</c> is <c>s3</c>.</summary>
internal sealed class S3StorageOptions
{
    /// <summary>The endpoint, e.g. <c>https://s3.eu-central-1.amazonaws.com</c> or a MinIO/s3rver URL.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    public string Region { get; set; } = "us-east-1";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary><c>host/bucket/key</c> instead of <c>bucket.host/key</c>: what MinIO and most stand-ins need.</summary>
    public bool ForcePathStyle { get; set; } = true;
}
