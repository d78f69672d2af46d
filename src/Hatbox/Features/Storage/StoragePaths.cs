using System.Text;
using Hatbox.Common;
using Hatbox.Common.Errors;

namespace Hatbox.Features.Storage;

/// <summary>
/// A file's path in its workspace: <c>/</c>-separated segments, normalized (empty and <c>.</c>
/// segments dropped) and refused outright when it could mean something else somewhere (<c>..</c>,
/// a leading <c>/</c> or drive, backslashes, control and bidi-override characters). Paths are
/// names in a table, never paths on disk, but a path that would be dangerous in someone's
/// download folder or shell is refused all the same. Compared byte for byte, as S3 keys are.
/// </summary>
internal static class StoragePaths
{
    /// <summary>S3's key limit, so paths carry over to an S3-compatible store unchanged.</summary>
    public const int MaxPathBytes = 1024;

    /// <summary>The file-name limit of common file systems, for the name a download is saved as.</summary>
    public const int MaxSegmentBytes = 255;

    public const int MaxDepth = 32;

    /// <summary>The <c>path</c> of an upload: a folder, empty for the root.</summary>
    public static Outcome<string> NormalizeFolder(string? raw, string param) => Normalize(raw ?? "", param, allowEmpty: true);

    /// <summary>A file's full path, as <c>fetch-by-path</c> takes it.</summary>
    public static Outcome<string> NormalizeFile(string raw, string param) => Normalize(raw, param, allowEmpty: false);

    /// <summary>The file name an upload part carries: exactly one segment.</summary>
    public static Outcome<string> NormalizeFilename(string raw, string param)
    {
        if (raw.Contains('/', StringComparison.Ordinal))
        {
            return Invalid("A file name may not contain '/'.", param);
        }
        return Normalize(raw, param, allowEmpty: false);
    }

    public static Outcome<string> Combine(string folder, string filename, string param)
    {
        var path = folder.Length == 0 ? filename : folder + "/" + filename;
        return Encoding.UTF8.GetByteCount(path) > MaxPathBytes || path.Count(c => c == '/') >= MaxDepth
            ? Invalid($"A file's path may be at most {MaxPathBytes} bytes and {MaxDepth} segments long.", param)
            : path;
    }

    static Outcome<string> Normalize(string raw, string param, bool allowEmpty)
    {
        // Cheap bound first: no valid path has more UTF-16 units than it has UTF-8 bytes.
        if (raw.Length > MaxPathBytes)
        {
            return Invalid($"A path may be at most {MaxPathBytes} bytes long.", param);
        }
        if (FindForbidden(raw) is { } problem)
        {
            return Invalid(problem, param);
        }
        if (raw.StartsWith('/') || (raw.Length >= 2 && char.IsAsciiLetter(raw[0]) && raw[1] == ':'))
        {
            return Invalid("Paths are relative to the workspace's storage; drop the leading '/' or drive.", param);
        }

        var segments = new List<string>();
        foreach (var segment in raw.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }
            if (segment == "..")
            {
                return Invalid("A path may not contain '..'.", param);
            }
            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                return Invalid($"Each name in a path may be at most {MaxSegmentBytes} bytes long.", param);
            }
            segments.Add(segment);
        }
        if (segments.Count == 0 && !allowEmpty)
        {
            return Invalid("The path names no file.", param);
        }
        if (segments.Count > MaxDepth)
        {
            return Invalid($"A path may have at most {MaxDepth} segments.", param);
        }
        var path = string.Join('/', segments);
        return Encoding.UTF8.GetByteCount(path) > MaxPathBytes
            ? Invalid($"A path may be at most {MaxPathBytes} bytes long.", param)
            : path;
    }

    static string? FindForbidden(string raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\')
            {
                return "Use '/' to separate folders; backslashes are not allowed.";
            }
            if (char.IsControl(c))
            {
                return "A path may not contain control characters.";
            }
            // Bidi overrides make "gpj.exe" display as "exe.jpg" in a download dialog.
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return "A path may not contain bidirectional control characters.";
            }
            if (char.IsHighSurrogate(c) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "A path must be valid Unicode.";
            }
        }
        return null;
    }

    static ApiError Invalid(string message, string param) => ApiError.BadRequest(ErrorCodes.InvalidPath, message, param);
}
