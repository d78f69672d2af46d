using System.ComponentModel.DataAnnotations;

namespace Hatbox.Hosting;

/// <summary>
/// <c>Server:Http2:*</c>: HTTP/2 flow control for the HTTPS listener. A client may send a stream's
/// window of bytes before the server has read any of them, so a window is memory the server
/// commits to: all streams of one connection together never hold more than the connection window
/// unread, and <see cref="MaxStreamsPerConnection"/> bounds how many uploads share it.
/// </summary>
internal sealed class Http2LimitsOptions
{
    public const string SectionName = "Server:Http2";

    /// <summary>
    /// Kestrel's default is 96 KiB: a client sends that much, then waits a round trip for a
    /// WINDOW_UPDATE, and a 50 MB upload ran at a third of the disk's speed (issue 17 item 17).
    /// </summary>
    [Range(65_535, int.MaxValue)] public int StreamWindowBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>What one connection's streams together may hold unread; at least one stream's window.</summary>
    [Range(65_535, int.MaxValue)] public int ConnectionWindowBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest DATA frame a client may send (HTTP/2 allows 16 KiB to 16 MiB - 1).</summary>
    [Range(16_384, 16_777_215)] public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Concurrent requests on one connection (Kestrel's default); more wait for a free stream.</summary>
    [Range(1, 10_000)] public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>The configured section, checked: a bad value stops <c>serve</c> with the option's name.</summary>
    public static Http2LimitsOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<Http2LimitsOptions>() ?? new Http2LimitsOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        if (options.ConnectionWindowBytes < options.StreamWindowBytes)
        {
            throw new ValidationException($"{SectionName}:ConnectionWindowBytes must be at least {SectionName}:StreamWindowBytes.");
        }
        return options;
    }
}
