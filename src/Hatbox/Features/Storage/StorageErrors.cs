using Hatbox.Common.Errors;

namespace Hatbox.Features.Storage;

/// <summary>The storage answers other than success; each has its own stable code.</summary>
internal static class StorageErrors
{
    /// <summary>Unknown, deleted, and another workspace's files all look the same.</summary>
    public static readonly ApiError FileNotFound = ApiError.NotFound(ErrorCodes.FileNotFound,
        "No file with that id or path in this workspace.");

    public static readonly ApiError InvalidSignature = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission,
        ErrorCodes.InvalidSignature, "This download link is not valid. Fetch the file again for a new link.");

    public static readonly ApiError UrlExpired = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission,
        ErrorCodes.UrlExpired, "This download link has expired. Fetch the file again for a new link.");

    public static readonly ApiError FileMissing = ApiError.BadRequest(ErrorCodes.ParameterMissing,
        "Send the file as a multipart/form-data part named 'file'.", "file");

    public static readonly ApiError OneFileOnly = ApiError.BadRequest(ErrorCodes.BulkNotSupported,
        "Upload one file per request.", "file");

    public static readonly ApiError NotMultipart = new(StatusCodes.Status415UnsupportedMediaType, ErrorTypes.InvalidRequest,
        ErrorCodes.UnsupportedMediaType, "Uploads are multipart/form-data with the file in a part named 'file'.");

    public static ApiError FileTooLarge(long maxBytes) => new(StatusCodes.Status413PayloadTooLarge, ErrorTypes.InvalidRequest,
        ErrorCodes.PayloadTooLarge, $"A file may be at most {maxBytes} bytes.", "file");

    public static ApiError Malformed(string message, string? param = null) =>
        ApiError.BadRequest(ErrorCodes.InvalidMultipart, message, param);
}
