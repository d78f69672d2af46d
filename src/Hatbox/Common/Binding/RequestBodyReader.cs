using Hatbox.Common.Errors;
using Microsoft.Net.Http.Headers;

namespace Hatbox.Common.Binding;

/// <summary>
/// The one reader of public request bodies: JSON, urlencoded forms and multipart text fields all
/// become one JSON object, so every endpoint binds them the same way (DESIGN.md §4, Bodies).
/// Expected failures are returned, not thrown; Kestrel's own 413 is left to propagate.
/// </summary>
internal static class RequestBodyReader
{
    private const string FormUrlEncoded = "application/x-www-form-urlencoded";
    private const string MultipartFormData = "multipart/form-data";

    public static async ValueTask<BodyReadResult> ReadAsync(HttpRequest request, BodyLimits limits, CancellationToken ct)
    {
        // Nothing to decode, whatever the type says; missing fields are then named by validation.
        if (request.ContentLength == 0)
        {
            return BodyReadResult.Empty();
        }

        if (string.IsNullOrEmpty(request.ContentType))
        {
            // Without a type only an empty body can be read, and a chunked one must be looked at.
            var peek = await BodyBytes.ReadAsync(request.Body, request.ContentLength, maxBytes: 0, ct);
            return peek is null ? Unsupported() : BodyReadResult.Empty();
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            return Unsupported();
        }

        if (IsJson(mediaType))
        {
            return IsUtf8(mediaType) ? await ReadJsonAsync(request, limits, ct) : Unsupported();
        }

        if (mediaType.MediaType.Equals(FormUrlEncoded, StringComparison.OrdinalIgnoreCase))
        {
            return IsUtf8(mediaType) ? await ReadFormAsync(request, limits, ct) : Unsupported();
        }

        return mediaType.MediaType.Equals(MultipartFormData, StringComparison.OrdinalIgnoreCase)
            ? await MultipartFieldReader.ReadAsync(request.Body, mediaType, limits, ct)
            : Unsupported();
    }

    private static async ValueTask<BodyReadResult> ReadJsonAsync(HttpRequest request, BodyLimits limits, CancellationToken ct)
    {
        // No cap of our own: Kestrel's MaxRequestBodySize bounds JSON bodies.
        var json = await BodyBytes.ReadAsync(request.Body, request.ContentLength, int.MaxValue, ct);
        return json is { } bytes ? JsonBodyParser.Parse(bytes, limits) : TooLarge();
    }

    private static async ValueTask<BodyReadResult> ReadFormAsync(HttpRequest request, BodyLimits limits, CancellationToken ct)
    {
        var form = await BodyBytes.ReadAsync(request.Body, request.ContentLength, limits.MaxFormBytes, ct);
        return form is { } bytes ? UrlEncodedFormParser.Parse(bytes.Span, limits) : TooLarge();
    }

    private static bool IsJson(MediaTypeHeaderValue mediaType) =>
        mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);

    // Both decoders read UTF-8 only; another charset would be misread, not converted.
    private static bool IsUtf8(MediaTypeHeaderValue mediaType)
    {
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
        return charset.Length == 0 || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    private static BodyReadResult Unsupported() => BodyReadResult.Fail(ApiError.ForStatus(StatusCodes.Status415UnsupportedMediaType));

    private static BodyReadResult TooLarge() => BodyReadResult.Fail(ApiError.TooLarge());
}
