using System.Text;
using System.Text.Unicode;
using Hatbox.Common;
using Hatbox.Common.Binding;
using Hatbox.Common.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Hatbox.Features.Storage;

/// <summary>What an upload's body held: the file, already stored under its blob key, and the optional folder.</summary>
internal sealed record ReceivedUpload(string? Filename, string? ContentType, long Size, byte[] Sha256, string? Folder);

/// <summary>
/// Reads <c>POST /storage/upload</c>'s multipart body as it arrives: the <c>file</c> part goes
/// straight into the blob store through <see cref="UploadStream"/>, the <c>path</c> field is kept,
/// and any other text field is read and ignored within a small budget. The shared body binder
/// refuses file parts on purpose, so uploads have this reader of their own.
/// </summary>
internal static class MultipartUpload
{
    /// <summary>What the body may hold beyond the file: boundaries, part headers, text fields.</summary>
    public const int OverheadBytes = 64 * 1024;

    public const string FileField = "file";
    public const string PathField = "path";

    const int TextBudgetBytes = 16 * 1024;

    /// <summary>
    /// Parts per upload: the file and the path, with room for the extra fields some clients add.
    /// Empty parts cost no text budget, so without this a body of 10,000 empty parts would be read whole.
    /// </summary>
    public const int MaxParts = 32;

    /// <summary>One part's headers together, and how many there may be (MultipartReader's own defaults are 16 KiB and 16).</summary>
    public const int MaxPartHeaderBytes = 8 * 1024;
    public const int MaxPartHeaders = 8;
    // MultipartReader's default 4 KiB buffer makes every read of a 50 MB file a small one.
    const int ReaderBufferBytes = 64 * 1024;

    static readonly ApiError MalformedBody = StorageErrors.Malformed("The multipart body is malformed or ended early.");
    static readonly ApiError TooManyParts = ApiError.TooLarge() with { Message = $"An upload holds at most {MaxParts} parts." };
    static readonly ApiError HeadersTooLarge = ApiError.TooLarge() with
    {
        Message = $"A part's headers may be {MaxPartHeaders} lines of {MaxPartHeaderBytes} bytes together.",
    };

    /// <summary>
    /// Reads the whole body. On success the file's bytes are stored under <paramref name="key"/> and
    /// the caller owns them; on any failure nothing is left in the store.
    /// </summary>
    public static async Task<Outcome<ReceivedUpload>> ReadAsync(
        Stream body, string boundary, IBlobStore blobs, BlobKey key, long maxBytes, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, body, ReaderBufferBytes)
        {
            HeadersLengthLimit = MaxPartHeaderBytes,
            HeadersCountLimit = MaxPartHeaders,
        };
        var parts = 0;
        ReceivedUpload? file = null;
        string? folder = null;
        var textBytes = 0;
        var handedOver = false;
        try
        {
            while (true)
            {
                var (section, error) = await NextSectionAsync(reader, cancellationToken);
                if (error is not null)
                {
                    return error;
                }
                if (section is null)
                {
                    break;
                }
                if (++parts > MaxParts)
                {
                    return TooManyParts;
                }
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name) is not { Length: > 0 } nameSegment)
                {
                    return StorageErrors.Malformed("Each part needs Content-Disposition: form-data with a name.");
                }
                var name = nameSegment.ToString();
                if (name == FileField)
                {
                    if (file is not null)
                    {
                        return StorageErrors.OneFileOnly;
                    }
                    var stored = await StoreFileAsync(section, disposition, blobs, key, maxBytes, cancellationToken);
                    if (!stored.Succeeded)
                    {
                        return stored.Error!;
                    }
                    file = stored.Value;
                    continue;
                }
                if (disposition.IsFileDisposition())
                {
                    return StorageErrors.Malformed($"Only the part named '{FileField}' may hold a file.", name);
                }
                var text = await ReadTextAsync(section, name, TextBudgetBytes - textBytes, cancellationToken);
                if (!text.Succeeded)
                {
                    return text.Error!;
                }
                textBytes += Encoding.UTF8.GetByteCount(text.Value!);
                if (name == PathField)
                {
                    // Checked on arrival, so a bad path sent before the file is refused before the file is read.
                    var normalized = StoragePaths.NormalizeFolder(text.Value, PathField);
                    if (!normalized.Succeeded)
                    {
                        return normalized.Error!;
                    }
                    folder = text.Value;
                }
            }
            if (file is null)
            {
                return StorageErrors.FileMissing;
            }
            handedOver = true;
            return file with { Folder = folder };
        }
        finally
        {
            if (!handedOver && file is not null)
            {
                await blobs.DeleteAsync(key, CancellationToken.None);
            }
        }
    }

    static async Task<Outcome<ReceivedUpload>> StoreFileAsync(MultipartSection section, ContentDispositionHeaderValue disposition,
        IBlobStore blobs, BlobKey key, long maxBytes, CancellationToken cancellationToken)
    {
        await using var upload = new UploadStream(section.Body, maxBytes);
        try
        {
            await blobs.WriteAsync(key, upload, cancellationToken);
        }
        catch (FileTooLargeException)
        {
            return StorageErrors.FileTooLarge(maxBytes);
        }
        catch (IOException e) when (upload.SourceFailed && e is not BadHttpRequestException)
        {
            // Only the client's side: a disk error is ours and stays a 500.
            return MalformedBody;
        }
        var filename = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value
            : disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value
            : null;
        return new ReceivedUpload(filename, section.ContentType, upload.BytesRead, upload.GetSha256(), Folder: null);
    }

    static async Task<(MultipartSection? Section, ApiError? Error)> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return (await reader.ReadNextSectionAsync(cancellationToken), null);
        }
        catch (InvalidDataException e) when (IsReaderLimit(e))
        {
            return (null, HeadersTooLarge);
        }
        catch (InvalidDataException)
        {
            // Malformed part headers.
            return (null, MalformedBody);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            // A body that ends before its closing boundary; Kestrel's 413 keeps its status.
            return (null, MalformedBody);
        }
    }

    /// <summary>
    /// MultipartReader reports its header caps ("Multipart headers length limit 8192 exceeded", "Line
    /// length limit … exceeded", "… count limit …") with the same exception type as a malformed
    /// header; only the text tells them apart.
    /// </summary>
    static bool IsReaderLimit(InvalidDataException e) =>
        e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("exceeded", StringComparison.OrdinalIgnoreCase);

    static async Task<Outcome<string>> ReadTextAsync(MultipartSection section, string name, int budget, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>? value;
        try
        {
            value = await BodyBytes.ReadAsync(section.Body, null, Math.Max(budget, 0), cancellationToken);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            return MalformedBody;
        }
        if (value is not { } bytes)
        {
            return StorageErrors.Malformed($"An upload's text fields may hold {TextBudgetBytes} bytes together.", name);
        }
        return Utf8.IsValid(bytes.Span)
            ? Encoding.UTF8.GetString(bytes.Span)
            : StorageErrors.Malformed("A text field must be UTF-8.", name);
    }
}
