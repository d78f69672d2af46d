using System.ComponentModel.DataAnnotations;

namespace Hatbox.Pipeline;

/// <summary><c>Hsts:…</c>: the <c>Strict-Transport-Security</c> header on every HTTPS answer (RFC 6797).</summary>
internal sealed class HstsOptions
{
    public const string SectionName = "Hsts";

    /// <summary>How long browsers keep to HTTPS for this host; 0 sends <c>max-age=0</c>, which makes them forget it.</summary>
    [Range(0, 2 * 365 * 24 * 3600)] public int MaxAgeSeconds { get; set; } = 365 * 24 * 3600;

    /// <summary>Off by default: it would bind every subdomain of the host, including ones this server does not run.</summary>
    public bool IncludeSubDomains { get; set; }
}
