using System.Globalization;

namespace Hatbox.Features.Domains;

/// <summary>
/// A parsed allowed-domain entry and the one matching rule: scheme and port must be equal, and the
/// host equal or, for <c>*.example.com</c>, end with <c>.example.com</c> after at least one label.
/// Look-alikes (<c>example.com.evil.test</c>, <c>evilexample.com</c>) and <c>Origin: null</c> never match.
/// </summary>
internal readonly record struct OriginPattern(string Scheme, string Host, int Port, bool Wildcard)
{
    public string Canonical => $"{Scheme}://{(Wildcard ? "*." : "")}{Host}{(IsDefaultPort ? "" : ":" + Port.ToString(CultureInfo.InvariantCulture))}";

    bool IsDefaultPort => (Scheme == "https" && Port == 443) || (Scheme == "http" && Port == 80);

    /// <summary>Parses an entry as an admin types it; false for anything that is not a bare origin.</summary>
    public static bool TryParse(string? text, out OriginPattern pattern)
    {
        pattern = default;
        var value = text?.Trim().TrimEnd('/').ToLowerInvariant();
        if (string.IsNullOrEmpty(value) || value.Length > 300)
        {
            return false;
        }
        var wildcard = false;
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && value.AsSpan(schemeEnd + 3).StartsWith("*."))
        {
            wildcard = true;
            value = value.Remove(schemeEnd + 3, 2);
        }
        if (!TryParseOrigin(value, out var origin) || (wildcard && !origin.Host.Contains('.', StringComparison.Ordinal)))
        {
            return false;
        }
        pattern = origin with { Wildcard = wildcard };
        return true;
    }

    /// <summary>Parses an <c>Origin</c> header: scheme, host and port only, nothing else.</summary>
    public static bool TryParseOrigin(string? header, out OriginPattern origin)
    {
        origin = default;
        if (string.IsNullOrEmpty(header) || header == "null"
            || !Uri.TryCreate(header, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0
            || header.TrimEnd('/').Length != uri.GetLeftPart(UriPartial.Authority).Length
            || uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return false;
        }
        origin = new OriginPattern(uri.Scheme, uri.IdnHost.ToLowerInvariant(), uri.Port, false);
        return true;
    }

    public bool Matches(OriginPattern origin) =>
        origin.Scheme == Scheme && origin.Port == Port && (Wildcard
            ? origin.Host.Length > Host.Length + 1 && origin.Host.EndsWith("." + Host, StringComparison.Ordinal)
            : origin.Host == Host);
}
