using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Hatbox.FaultTests;

/// <summary>
/// <c>hatbox serve</c> as a separate process on loopback, stopped the way a fault does it:
/// <c>kill -9</c> (no shutdown, no flush, no finally) or SIGTERM (the graceful stop).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Hatbox.dll");

    /// <summary>Limits out of reach, so every request runs the whole pipeline and none is refused.</summary>
    static readonly Dictionary<string, string> Environment = new()
    {
        ["HATBOX__Plans__free__RequestsPerMinute"] = "100000000",
        ["HATBOX__Plans__free__RequestsPerMonth"] = "100000000000",
    };

    readonly Process _process;

    ServerProcess(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static async Task<ServerProcess> StartAsync(string dataDirectory, params (string Key, string Value)[] settings)
    {
        var process = Start(settings, "serve", "--data", dataDirectory, "--https-port", "0", "--http-port", "0", "--listen", "127.0.0.1", "--metrics-port", "0");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Keep draining output, or a full pipe would stall the server.
        process.OutputDataReceived += (_, line) =>
        {
            const string marker = "listening on ";
            if (line.Data?.IndexOf(marker, StringComparison.Ordinal) is >= 0 and var at)
            {
                listening.TrySetResult(new Uri(line.Data[(at + marker.Length)..].Trim()));
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("hatbox serve exited"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        return new ServerProcess(process, address, dataDirectory);
    }

    /// <summary>Runs an admin command on the data folder and returns its JSON answer.</summary>
    public static async Task<JsonElement> AdminAsync(string dataDirectory, params string[] arguments)
    {
        using var process = Start([], [.. arguments, "--data", dataDirectory, "--json"]);
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"hatbox {string.Join(' ', arguments)}: {errors}{output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>An HTTPS client that trusts exactly this data folder's self-signed certificate.</summary>
    public HttpClient CreateClient()
    {
        var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(DataDirectory, "tls", "cert.pem")));
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { certificate },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        })
        { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>SIGKILL: the process is gone at once, with whatever it had not written.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>SIGTERM, what a service manager or a container runtime sends to stop a server.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(limit, TestContext.Current.CancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    static Process Start((string Key, string Value)[] settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }
}
