using System.Net;
using System.Net.Sockets;
using Hatbox.Features.Flows.Engine;
using Microsoft.Extensions.Options;

namespace Hatbox.Features.Flows.Steps;

/// <summary>
/// The one HTTP client for calls a flow makes to the outside. Its <c>ConnectCallback</c> resolves
/// the host itself and refuses internal addresses (<see cref="OutboundAddresses"/>) for every
/// connection, the first and each redirect's, unless the destination is configured as allowed.
/// </summary>
internal sealed class OutboundHttp : IDisposable
{
    readonly HttpStepOptions _options;

    public OutboundHttp(IOptions<FlowOptions> options)
    {
        _options = options.Value.Http;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = _options.MaxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(1, _options.MaxRedirects),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(_options.TimeoutSeconds),
            ConnectCallback = ConnectAsync,
        };
        Client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public HttpClient Client { get; }

    public int MaxResponseBytes => _options.MaxResponseBytes;

    public TimeSpan Timeout => TimeSpan.FromSeconds(_options.TimeoutSeconds);

    /// <summary>Only http and https URLs, absolute, without credentials in them.</summary>
    public static bool IsAcceptableUrl(string? url, out Uri uri)
    {
        uri = null!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.UserInfo.Length > 0)
        {
            return false;
        }
        uri = parsed;
        return true;
    }

    async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var allowedByName = IsAllowedDestination(endpoint.Host, endpoint.Port);
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var usable = addresses.Where(a => OutboundAddresses.IsSupported(a)
            && (allowedByName || _options.AllowPrivateNetworks || !OutboundAddresses.IsInternal(a)
                || IsAllowedDestination(a.ToString(), endpoint.Port))).ToArray();
        if (usable.Length == 0)
        {
            throw new StepFailure(StepErrorCodes.UrlNotAllowed,
                $"{endpoint.Host} resolves only to addresses that flows may not reach (loopback, private or link-local).", retryable: false);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    bool IsAllowedDestination(string host, int port)
    {
        foreach (var allowed in _options.AllowedDestinations)
        {
            if (string.Equals(allowed, $"{host}:{port}", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The refusal inside whatever <see cref="HttpClient"/> wrapped it in, if that is why a call failed.</summary>
    public static StepFailure? RefusalIn(Exception error)
    {
        for (var inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is StepFailure failure)
            {
                return failure;
            }
        }
        return null;
    }

    public void Dispose() => Client.Dispose();
}
