using Hatbox.Tests.Infrastructure;
using System.Diagnostics;
using System.Text.Json;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// One <c>hatbox serve</c> process of a cluster: its own data folder (TLS files only), the shared
/// stores through <c>HATBOX__…</c> environment variables, as an operator would run a node.
/// </summary>
internal sealed class ScaleOutNode : IAsyncDisposable
{
    static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Hatbox.dll");
    readonly Process _process;

    ScaleOutNode(Process process, Uri address, string dataDirectory, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        Output = output;
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    /// <summary>What the process wrote so far (its log), for failure messages.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; }

    public string DataDirectory { get; }

    public static async Task<ScaleOutNode> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var data = Directory.CreateTempSubdirectory("hatbox-node-").FullName;
        var process = Start(environment, "serve", "--data", data, "--https-port", "0", "--http-port", "0", "--listen", "127.0.0.1", "--metrics-port", "0");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) =>
        {
            const string marker = "listening on ";
            if (line.Data is { } text)
            {
                output.Enqueue(text);
                if (text.IndexOf(marker, StringComparison.Ordinal) is >= 0 and var at)
                {
                    listening.TrySetResult(new Uri(text[(at + marker.Length)..].Trim()));
                }
            }
        };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } text) output.Enqueue(text); };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("hatbox serve exited: " + string.Join('\n', output)));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        return new ScaleOutNode(process, address, data, output);
    }

    /// <summary>An admin command with the cluster's configuration, from a folder of its own; answers its JSON.</summary>
    public static async Task<JsonElement> AdminAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var data = Directory.CreateTempSubdirectory("hatbox-admin-").FullName;
        try
        {
            using var process = Start(environment, [.. arguments, "--data", data, "--json"]);
            var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"hatbox {string.Join(' ', arguments)}: {errors}{output}");
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Ends the process at once, as <c>kill -9</c> does (.NET sends SIGKILL): no shutdown, nothing flushed.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public HttpClient CreateClient() => TrustingClient.ForDataDirectory(DataDirectory, Address);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    static Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
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
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return Process.Start(start)!;
    }
}
