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
        string? key = null;
        foreach (var candidate in Candidates(request.Headers.Authorization, request.Headers["x-api-key"]))
        {
            if (key is not null && !string.Equals(key, candidate, StringComparison.Ordinal))
            {
                return new(null, null, ApiKeyErrors.Multiple);
            }
            key = candidate;
        }
        if (string.IsNullOrEmpty(key))
        {
            return new(null, null, ApiKeyErrors.Missing);
        }
        var orgKey = request.Headers["x-org-key"];
        return new(key, StringValues.IsNullOrEmpty(orgKey) ? null : orgKey.ToString(), null);
    }

    static IEnumerable<string> Candidates(StringValues authorization, StringValues apiKey)
    {
        foreach (var value in authorization)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed))
            {
                continue;
            }
            yield return trimmed.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? trimmed[7..].Trim() : trimmed;
        }
        foreach (var value in apiKey)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                yield return value.Trim();
            }
        }
    }
}
