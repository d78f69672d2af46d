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
    public readonly record struct Presented(string? Key, string? OrgKey, ApiError? Error);

    public static Presented Read(HttpRequest request)
    {
        // Plain loops rather than one iterator over both headers: this runs on every keyed request,
        // and the iterator was an allocation each time.
        string? key = null;
        var multiple = false;
        foreach (var value in request.Headers.Authorization)
        {
            var trimmed = value?.Trim();
            if (!string.IsNullOrEmpty(trimmed))
            {
                Take(trimmed.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? trimmed[7..].Trim() : trimmed);
            }
        }
        foreach (var value in request.Headers["x-api-key"])
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                Take(value.Trim());
            }
        }
        if (multiple)
        {
            return new(null, null, ApiKeyErrors.Multiple);
        }
        if (string.IsNullOrEmpty(key))
        {
            return new(null, null, ApiKeyErrors.Missing);
        }
        var orgKey = request.Headers["x-org-key"];
        return new(key, StringValues.IsNullOrEmpty(orgKey) ? null : orgKey.ToString(), null);

        // Two different keys in one request are refused; the same key sent twice is one key.
        void Take(string candidate)
        {
            multiple |= key is not null && !string.Equals(key, candidate, StringComparison.Ordinal);
            key = candidate;
        }
    }
}
