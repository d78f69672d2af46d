using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Storage;

/// <summary>Files: where they go, how large they may be, and how long a download link lives.</summary>
internal sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary>The one store for now; <c>S3</c> is the planned second one (DESIGN.md §6).</summary>
    [Required, AllowedValues("Local")] public string Provider { get; set; } = "Local";

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
        if (UrlSigningKey is not null && DownloadSigningKey.Decode(UrlSigningKey) is null)
        {
            yield return new ValidationResult(
                $"Storage:UrlSigningKey must be base64 of at least {DownloadSigningKey.MinimumBytes} bytes.", [nameof(UrlSigningKey)]);
        }
    }
}
