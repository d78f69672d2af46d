using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hatbox.Client;

/// <summary>
/// The Hatbox (WorqHat-compatible) API: <see cref="Db"/>, <see cref="Storage"/> and <see cref="Flows"/>,
/// named as the official SDK names them, in .NET style. Thread-safe; one per application, or typed
/// through <c>services.AddHatboxClient(...)</c>.
/// </summary>
public sealed class HatboxClient
{
    readonly HatboxTransport _transport;

    [ActivatorUtilitiesConstructor]
    public HatboxClient(HttpClient http, IOptions<HatboxClientOptions> options)
        : this(http, options.Value)
    {
    }

    public HatboxClient(HttpClient http, HatboxClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (http.BaseAddress is null)
        {
            http.BaseAddress = options.BaseAddress ?? throw new ArgumentException("Set BaseAddress on the options or the HttpClient.", nameof(options));
        }
        _transport = new HatboxTransport(http, options);
        Db = new DbClient(_transport);
        Storage = new StorageClient(_transport);
        Flows = new FlowsClient(_transport);
    }

    public DbClient Db { get; }

    public StorageClient Storage { get; }

    public FlowsClient Flows { get; }

    /// <summary><c>GET /</c>: the server's name, API version and environment.</summary>
    public Task<ServerInfo> GetServerInfoAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<ServerInfo>(HttpMethod.Get, "/", null, options, cancellationToken);

    /// <summary><c>GET /health</c>.</summary>
    public Task<HealthStatus> CheckHealthAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<HealthStatus>(HttpMethod.Get, "/health", null, options, cancellationToken);

    /// <summary><c>POST /authentication</c>: whom the key stands for.</summary>
    public Task<KeyCheck> AuthenticateAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync<KeyCheck>(HttpMethod.Post, "/authentication", null, options, cancellationToken);
}

public sealed record ServerInfo(bool Success, string Name, string Version, string Environment);

public sealed record HealthStatus(bool Success, string Status, double Uptime, string Version, JsonElement Services);

public sealed record KeyCheck(bool Success, string Status, string? OrganizationId, string? WorkspaceId, string? Workspace, string? KeyId,
    string? Role, string? Plan, string? ApiVersion);
