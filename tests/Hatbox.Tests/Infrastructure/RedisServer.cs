using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Hatbox.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> of this machine (Debian's package, which <c>scripts/test.sh</c> installs)
/// on 127.0.0.1 and a free port, with no persistence, stopped by its PID. A class fixture, or started
/// by a test that wants to stop it midway. A missing binary fails the test: Redis tests never skip.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string Executable = "/usr/bin/redis-server";

    Process? _process;
    readonly List<string> _output = [];

    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis connection string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        return redis;
    }

    /// <summary>Server settings that count in this Redis, plus <paramref name="more"/>.</summary>
    public Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Redis:Configuration"] = Configuration };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            Assert.Fail($"{Executable} is missing. The Redis tests run a real Redis: apt-get install -y redis-server (scripts/test.sh does).");
        }
        // A free port can be taken between asking and binding; another one is tried then.
        for (var attempt = 1; ; attempt++)
        {
            Port = TestServer.FreePort();
            if (await TryStartAsync() || attempt == 3)
            {
                break;
            }
        }
        Assert.True(_process is { HasExited: false }, $"redis-server did not start: {string.Join('\n', _output)}");
    }

    /// <summary>Starts it again on the same port, empty (as a Redis that crashed and came back).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        Assert.True(await TryStartAsync(), $"redis-server did not restart on port {Port}: {string.Join('\n', _output)}");
    }

    /// <summary>Kills the process this fixture started, by its PID, and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }
        using var process = _process;
        _process = null;
        if (!process.HasExited)
        {
            process.Kill();
        }
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>A connection for the test's own checks and changes (FLUSHALL needs admin commands).</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(Configuration + ",allowAdmin=true");

    async Task<bool> TryStartAsync()
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Nothing is ever written (no RDB, no AOF), but a stray dump must not land in the repository.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (process.HasExited)
            {
                await StopAsync();
                return false;
            }
            if (await AnswersPingAsync())
            {
                return true;
            }
            await Task.Delay(20);
        }
        await StopAsync();
        return false;
    }

    void Remember(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, Port);
            await socket.SendAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await socket.ReceiveAsync(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
