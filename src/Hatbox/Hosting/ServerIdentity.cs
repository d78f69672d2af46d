using System.Diagnostics;
using System.Reflection;

namespace Hatbox.Hosting;

/// <summary>What <c>GET /</c> and <c>GET /health</c> say about this node.</summary>
internal sealed class ServerIdentity(IHostEnvironment environment)
{
    public const string Name = "Hatbox";

    /// <summary>The newest API version this build speaks; matches the official SDK 3.14.0.</summary>
    public const string CurrentApiVersion = "2025-10-28";

    readonly long _started = Stopwatch.GetTimestamp();

    public string ServerVersion { get; } =
        typeof(ServerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "0.0.0";

    /// <summary>The SDK knows development, staging and production; anything else is production.</summary>
    public string Environment { get; } =
        environment.IsDevelopment() ? "development" : environment.IsStaging() ? "staging" : "production";

    public TimeSpan Uptime => Stopwatch.GetElapsedTime(_started);
}
