using System.ComponentModel.DataAnnotations;

namespace Hatbox.Hosting;

/// <summary>Where the server keeps its data and how it listens. Flags of <c>serve</c> override these.</summary>
internal sealed class ServerOptions
{
    public const string SectionName = "Server";

    [Required] public string DataDirectory { get; set; } = "data";

    /// <summary><c>localhost</c> (IPv4 and IPv6 loopback), an IP address, or <c>*</c> for every interface.</summary>
    [Required] public string ListenAddress { get; set; } = "localhost";

    [Range(0, 65535)] public int HttpsPort { get; set; } = 8443;

    /// <summary>The plain-HTTP listener that only answers <c>https_required</c>; 0 turns it off.</summary>
    [Range(0, 65535)] public int HttpPort { get; set; } = 8080;

    /// <summary>Largest request body for ordinary endpoints; uploads set their own limit.</summary>
    [Range(1024, 1L << 30)] public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>
    /// How clients reach this server, for links it hands out (signed download URLs), e.g.
    /// <c>https://files.example.com</c>. Unset: the HTTPS listener's own address.
    /// </summary>
    [Url] public string? PublicBaseUrl { get; set; }

    /// <summary>Proxies (IP addresses or CIDR ranges) whose <c>X-Forwarded-Proto</c> and <c>-For</c> are believed.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>On SIGTERM/SIGINT, how long <c>serve</c> lets in-flight requests finish before it stops anyway.</summary>
    [Range(1, 3600)] public int ShutdownDrainSeconds { get; set; } = 30;
}
