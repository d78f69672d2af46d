using System.Text;
using System.Text.Unicode;
using Hatbox.Common.Errors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Hatbox.Common.Binding;

/// <summary>
/// Reads the text fields of a <c>multipart/form-data</c> body through the same key nesting as
/// urlencoded forms. File parts are refused: the storage endpoint streams uploads with its own
/// reader, and buffering a file here would hold it whole in memory.
/// </summary>
internal static class MultipartFieldReader
{
    // RFC 2046 §5.1.1 caps a boundary at 70 characters.
    private const int MaxBoundaryLength = 70;

    public static async ValueTask<BodyReadResult> ReadAsync(
        Stream body, MediaTypeHeaderValue mediaType, BodyLimits limits, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary);
        if (boundary.Length is 0 or > MaxBoundaryLength)
        {
            return Invalid("multipart/form-data needs a boundary parameter of 1 to 70 characters.");
        }

        var reader = new MultipartReader(boundary.ToString(), body);
        var tree = new FormTreeBuilder(limits, ErrorCodes.InvalidMultipart);
        long totalBytes = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name) is not { Length: > 0 } nameSegment)
                {
                    return Invalid("Each part needs Content-Disposition: form-data with a name.");
                }

                var name = nameSegment.ToString();
                if (disposition.FileName.HasValue || disposition.FileNameStar.HasValue)
                {
                    return Invalid("This endpoint takes text fields only; upload files through the storage endpoint.", name);
                }

                var value = await BodyBytes.ReadAsync(section.Body, null, limits.MaxValueLength, ct);
                if (value is not { } bytes)
                {
                    return BodyReadResult.Fail(tree.Reject(name, $"A field value may be at most {limits.MaxValueLength} bytes long."));
                }

                if (!Utf8.IsValid(bytes.Span))
                {
                    return Invalid("A text field must be UTF-8.", name);
                }

                totalBytes += bytes.Length;
                if (totalBytes > limits.MaxFormBytes)
                {
                    return BodyReadResult.Fail(ApiError.TooLarge());
                }

                if (tree.Add(name, Encoding.UTF8.GetString(bytes.Span)) is { } error)
                {
                    return BodyReadResult.Fail(error);
                }
            }
        }
        catch (InvalidDataException)
        {
            // MultipartReader's own limits and malformed part headers.
            return Invalid("The multipart body is malformed.");
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            // A body that ends before its closing boundary; Kestrel's 413 is also an IOException
            // and must keep its status.
            return Invalid("The multipart body is malformed.");
        }

        return BodyReadResult.Ok(tree.Build());
    }

    private static BodyReadResult Invalid(string message, string? param = null) =>
        BodyReadResult.Fail(ApiError.BadRequest(ErrorCodes.InvalidMultipart, message, param));
}
