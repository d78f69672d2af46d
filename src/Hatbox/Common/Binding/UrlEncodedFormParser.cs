using System.Text;
using Hatbox.Common.Errors;

namespace Hatbox.Common.Binding;

/// <summary>Parses an <c>application/x-www-form-urlencoded</c> body into one JSON object of strings.</summary>
internal static class UrlEncodedFormParser
{
    private const string NotEncoded =
        "This field is not valid form encoding: % must be followed by two hex digits, and the bytes must be UTF-8.";

    public static BodyReadResult Parse(ReadOnlySpan<byte> body, BodyLimits limits)
    {
        var tree = new FormTreeBuilder(limits, ErrorCodes.InvalidForm);
        while (!body.IsEmpty)
        {
            var end = body.IndexOf((byte)'&');
            var pair = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf((byte)'=');
            var rawKey = equals < 0 ? pair : pair[..equals];
            var rawValue = equals < 0 ? [] : pair[(equals + 1)..];
            if (!StrictUrlDecoder.TryDecode(rawKey, out var key, out _))
            {
                var shown = Encoding.UTF8.GetString(rawKey[..Math.Min(rawKey.Length, limits.MaxKeyLength)]);
                return BodyReadResult.Fail(tree.Reject(shown, NotEncoded));
            }

            if (!StrictUrlDecoder.TryDecode(rawValue, out var value, out var valueBytes))
            {
                return BodyReadResult.Fail(tree.Reject(key, NotEncoded));
            }

            if (valueBytes > limits.MaxValueLength)
            {
                return BodyReadResult.Fail(tree.Reject(key, $"A field value may be at most {limits.MaxValueLength} bytes long."));
            }

            if (tree.Add(key, value) is { } error)
            {
                return BodyReadResult.Fail(error);
            }
        }

        return BodyReadResult.Ok(tree.Build());
    }
}
