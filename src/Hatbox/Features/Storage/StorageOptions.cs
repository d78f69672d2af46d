using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Storage;

/// <summary>Files: where they go, how large they may be, and how long a download link lives.</summary>
internal sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary><c>local</c> (a folder in the data directory) or <c>s3</c> (<see cref="S3"/>), DESIGN.md §6.</summary>
    [Required, AllowedValues("Local", "local", "S3", "s3")] public string Provider { get; set; } = "Local";

    public bool UsesS3 => string.Equals(Provider, "s3", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>Storage:S3:*</c>, read when <see cref="Provider"/> is <c>s3</c>.</summary>
    public S3.S3StorageOptions S3 { get; set; } = new();

    /// <summary>Where <c>Local</c> keeps files; relative to <c>Server:DataDirectory</c> unless absolute.</summary>
    [Required] public string LocalDirectory { get; set; } = "files";

    /// <summary>The largest file one upload may hold. WorqHat documents 50 MB.</summary>
    [Range(1, 5L * 1024 * 1024 * 1024)] public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>How long a signed download URL works. WorqHat's links last one hour.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")] public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The HMAC key for download URLs, base64, at least 32 bytes. Every node behind one load
    /// balancer needs the same one; unset, a single server makes its own in the data folder.
    /// </summary>
    public string? UrlSigningKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesS3 && (string.IsNullOrWhiteSpace(S3.ServiceUrl) || string.IsNullOrWhiteSpace(S3.Bucket)))
        {
            yield return new ValidationResult("Storage:Provider is s3: set Storage:S3:ServiceUrl and Storage:S3:Bucket.", [nameof(S3)]);
        }
        if (UrlSigningKey is not null && DownloadSigningKey.Decode(UrlSigningKey) is null)
        {
            yield return new ValidationResult(
                $"Storage:UrlSigningKey must be base64 of at least {DownloadSigningKey.MinimumBytes} bytes.", [nameof(UrlSigningKey)]);
        }
    }
}
