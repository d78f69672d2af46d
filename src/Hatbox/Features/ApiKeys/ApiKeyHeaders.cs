using Hatbox.Common.Errors;
using Microsoft.Extensions.Primitives;

namespace Hatbox.Features.ApiKeys;

/// <summary>
/// Finds the one key a request carries: <c>Authorization: Bearer &lt;key&gt;</c>, the raw
/// <c>Authorization: &lt;key&gt;</c> the official SDK sends, or legacy <c>x-api-key</c> (with an
/// optional <c>x-org-key</c>). Never the query string: URLs end up in logs and browser history.
/// </summary>
internal static class ApiKeyHeaders
{
    /// <summary>
    /// The key found, or why none was taken. <paramref name="Key"/> is a slice of the header it came in (no
    /// string cut per request); <paramref name="Source"/> is that header's value: Kestrel hands an unchanged
    /// header back as the same string on a kept-alive connection, which <see cref="ApiKeyVerifier"/> uses
    /// to hash a key once per connection.
    /// </summary>
    public readonly record struct Presented(ReadOnlyMemory<char> Key, string? OrgKey, ApiError? Error, string? Source = null);

    public static Presented Read(HttpRequest request)
    {
        // Plain loops rather than one iterator over both headers: this runs on every keyed request,
        // and the iterator was an allocation each time.
        ReadOnlyMemory<char> key = default;
        string? source = null;
        var multiple = false;
        foreach (var value in request.Headers.Authorization)
        {
            var trimmed = value.AsMemory().Trim();
            if (!trimmed.IsEmpty)
            {
                Take(trimmed.Span.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? trimmed[7..].Trim() : trimmed, value!);
            }
        }
        foreach (var value in request.Headers["x-api-key"])
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                Take(value.AsMemory().Trim(), value);
            }
        }
        if (multiple)
        {
            return new(default, null, ApiKeyErrors.Multiple);
        }
        if (key.IsEmpty)
        {
            return new(default, null, ApiKeyErrors.Missing);
        }
        var orgKey = request.Headers["x-org-key"];
        return new(key, StringValues.IsNullOrEmpty(orgKey) ? null : orgKey.ToString(), null, source);

        // Two different keys in one request are refused; the same key sent twice is one key.
        void Take(ReadOnlyMemory<char> candidate, string header)
        {
            multiple |= source is not null && !key.Span.SequenceEqual(candidate.Span);
            key = candidate;
            source = header;
        }
    }
}
