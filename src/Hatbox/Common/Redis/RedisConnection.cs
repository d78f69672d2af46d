using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hatbox.Common.Redis;

/// <summary>
/// The one <see cref="ConnectionMultiplexer"/> of the process. The server connects at start (a hosted
/// service); admin commands, which never start hosts, connect only if they count something. A node
/// whose Redis is down still starts and keeps retrying in the background; meanwhile counter
/// operations fail at once with <see cref="RedisUnavailableException"/>.
/// </summary>
internal sealed partial class RedisConnection : IHostedService, IAsyncDisposable
{
    readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer;
    readonly ILogger<RedisConnection> _logger;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        _multiplexer = new(() => ConnectAsync(options.Value.Configuration!), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    async Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = RedisOptions.Parse(configuration)!;
        // Start without Redis rather than refuse to boot; requests that need it answer 503 until it is there.
        options.AbortOnConnectFail = false;
        // While disconnected, fail each command at once (a prompt 503) instead of queueing it for the timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
        multiplexer.ConnectionFailed += (_, e) => LogConnectionFailed(_logger, e.EndPoint, e.FailureType, e.Exception);
        multiplexer.ConnectionRestored += (_, e) => LogConnectionRestored(_logger, e.EndPoint);
        if (!multiplexer.IsConnected)
        {
            LogNotConnected(_logger);
        }
        return multiplexer;
    }

    /// <summary>Runs a Lua script (sent once, then by its SHA). Redis not answering becomes <see cref="RedisUnavailableException"/>.</summary>
    public async Task<RedisResult> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] values)
    {
        var multiplexer = await _multiplexer.Value;
        try
        {
            return await multiplexer.GetDatabase().ScriptEvaluateAsync(script, keys, values);
        }
        catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException
            || (exception is RedisServerException && IsTransient(exception.Message)))
        {
            throw new RedisUnavailableException(exception);
        }
    }

    // Answers of a Redis that is there but cannot serve yet: loading its data after a restart, a
    // replica mid-failover, a script running too long. They pass like an outage does.
    static bool IsTransient(string message) =>
        message.StartsWith("LOADING", StringComparison.Ordinal) || message.StartsWith("READONLY", StringComparison.Ordinal)
        || message.StartsWith("MASTERDOWN", StringComparison.Ordinal) || message.StartsWith("BUSY", StringComparison.Ordinal);

    /// <summary>Whether the multiplexer is connected now (false until its first connection completes).</summary>
    public bool IsConnected => _multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully && _multiplexer.Value.Result.IsConnected;

    public async Task StartAsync(CancellationToken cancellationToken) => await _multiplexer.Value.WaitAsync(cancellationToken);

    // The connection stays open until the container is disposed: the usage writer's last flush, in its
    // own stop, may still check the quota.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
        {
            await _multiplexer.Value.Result.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis connection to {EndPoint} lost ({FailureType}); API requests answer 503 until it is back")]
    static partial void LogConnectionFailed(ILogger logger, System.Net.EndPoint? endPoint, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis connection to {EndPoint} restored")]
    static partial void LogConnectionRestored(ILogger logger, System.Net.EndPoint? endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is not reachable at start; API requests answer 503 until it is")]
    static partial void LogNotConnected(ILogger logger);
}
