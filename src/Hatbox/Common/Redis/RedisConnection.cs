using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hatbox.Common.Redis;

/// <summary>
/// The one <see cref="ConnectionMultiplexer"/> of the process. The server connects at start (a hosted
/// service, waiting at most a second for it); admin commands, which never start hosts, connect only
/// if they count something. A node whose Redis is down still starts and keeps retrying in the
/// background; meanwhile counter operations fail at once with <see cref="RedisUnavailableException"/>.
/// </summary>
internal sealed partial class RedisConnection : IHostedService, IAsyncDisposable
{
    // How long a starting server waits for its first connection before it listens anyway. A Redis that
    // is up answers in milliseconds; one that is down would hold the start for the connect timeout.
    static readonly TimeSpan StartWait = TimeSpan.FromSeconds(1);

    readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer;
    readonly ILogger<RedisConnection> _logger;
    volatile bool _failWhileConnecting;

    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        // On the pool: the client's connect runs synchronously for a while before its first await (to a
        // Redis that is down, seconds), and neither a starting server nor a first request should wait on that.
        _multiplexer = new(() => Task.Run(() => ConnectAsync(options.Value.Configuration!)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    async Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = RedisOptions.Parse(configuration)!;
        // Start without Redis rather than refuse to boot; requests that need it answer 503 until it is there.
        options.AbortOnConnectFail = false;
        // While disconnected, fail each command at once (a prompt 503) instead of queueing it for the timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // Reconnect attempts at most 5 s apart (the default grows to 10 s), so a node serves again
        // within seconds of its Redis coming back, after an outage of any length.
        options.ReconnectRetryPolicy = new ExponentialRetry(250, 5_000);
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
        var multiplexer = await ConnectedAsync();
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

    /// <summary>
    /// The multiplexer once its first connection attempt is over (connected or not: it reconnects by
    /// itself). A server that has stopped waiting for that (<see cref="StartAsync"/>) fails at once
    /// meanwhile, a prompt 503; an admin command, which never starts this, waits for it.
    /// </summary>
    Task<ConnectionMultiplexer> ConnectedAsync()
    {
        var connecting = _multiplexer.Value;
        return connecting.IsCompleted || !_failWhileConnecting
            ? connecting
            : Task.FromException<ConnectionMultiplexer>(new RedisUnavailableException(
                new TimeoutException("Still making the first connection to Redis.")));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connecting = _multiplexer.Value;
        await Task.WhenAny(connecting, Task.Delay(StartWait, cancellationToken));
        _failWhileConnecting = true;
    }

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
