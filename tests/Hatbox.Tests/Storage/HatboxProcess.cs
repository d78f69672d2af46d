using Hatbox.Tests.Infrastructure;
using System.Diagnostics;
using System.Text.Json;

namespace Hatbox.Tests.Storage;

/// <summary>
/// <c>hatbox serve</c> as a separate process, for what an in-process server cannot show: a
/// <c>kill -9</c> in the middle of a request. Uses the Hatbox.dll built beside the tests.
/// </summary>
internal sealed class HatboxProcess : IAsyncDisposable
{
    static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Hatbox.dll");
    readonly Process _process;

    HatboxProcess(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    /// <summary>Starts <c>hatbox serve</c>; <paramref name="extraArguments"/> go after the defaults (e.g. <c>--config FILE</c>).</summary>
    public static async Task<HatboxProcess> StartAsync(string dataDirectory, params string[] extraArguments)
    {
        // Processes run side by side: none takes the default scrape port unless the test names one.
        string[] metrics = extraArguments.Contains("--metrics-port") ? [] : ["--metrics-port", "0"];
        var process = Start(["serve", "--data", dataDirectory, "--https-port", "0", "--http-port", "0", "--listen", "127.0.0.1", .. metrics, .. extraArguments]);
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
        var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        return new HatboxProcess(process, address, dataDirectory);
    }

    /// <summary>Runs an admin command on the data folder and returns its JSON answer.</summary>
    public static async Task<JsonElement> AdminAsync(string dataDirectory, params string[] arguments)
    {
        var (exitCode, output, errors) = await RunAdminAsync(dataDirectory, arguments);
        Assert.True(exitCode == 0, $"hatbox {string.Join(' ', arguments)}: {errors}{output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Runs an admin command on the data folder with <c>--json</c>; a refusal exits 1 with <c>error: CODE: …</c> on stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAdminAsync(string dataDirectory, params string[] arguments)
    {
        using var process = Start([.. arguments, "--data", dataDirectory, "--json"]);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>An HTTPS client that trusts exactly this data folder's self-signed certificate.</summary>
    public HttpClient CreateClient() => TrustingClient.ForDataDirectory(DataDirectory, Address);

    /// <summary>SIGKILL: no shutdown, no flush, no finally blocks.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start)!;
    }
}
