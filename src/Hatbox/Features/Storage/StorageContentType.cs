using Microsoft.Net.Http.Headers;

namespace Hatbox.Features.Storage;

/// <summary>
/// The content type a stored file is served with, reduced to what is always a valid header:
/// <c>type/subtype</c> in lower case, plus a <c>charset</c> only when it is a plain token. Anything
/// else a client declared (non-ASCII or quoted parameters, other parameters, a broken type) is
/// dropped at upload, because Kestrel refuses to send such a header and every download would fail.
/// </summary>
internal static class StorageContentType
{
    public const string Default = "application/octet-stream";
    const int MaxTokenLength = 127;
    const int MaxCharsetLength = 40;

    /// <summary>The safe form of <paramref name="declared"/>, or null when it names no usable type.</summary>
    public static string? Normalize(string? declared)
    {
        if (string.IsNullOrEmpty(declared) || !MediaTypeHeaderValue.TryParse(declared, out var parsed)
            || parsed.Type is not { Length: > 0 and <= MaxTokenLength } type || !IsToken(type.AsSpan())
            || parsed.SubType is not { Length: > 0 and <= MaxTokenLength } subType || !IsToken(subType.AsSpan())
            || parsed.MediaType.Value is "*/*" || type.Value == "*")
        {
            return null;
        }
        var mediaType = $"{type.ToString().ToLowerInvariant()}/{subType.ToString().ToLowerInvariant()}";
        var charset = HeaderUtilities.RemoveQuotes(parsed.Charset);
        return charset.Length is > 0 and <= MaxCharsetLength && IsToken(charset.AsSpan())
            ? $"{mediaType}; charset={charset.ToString().ToLowerInvariant()}"
            : mediaType;
    }

    /// <summary>RFC 9110 <c>token</c>: visible ASCII without separators.</summary>
    static bool IsToken(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return false;
            }
        }
        return true;
    }
}
