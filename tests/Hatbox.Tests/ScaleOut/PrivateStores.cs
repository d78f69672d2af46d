using System.Diagnostics;

namespace Hatbox.Tests.ScaleOut;

/// <summary>
/// A PostgreSQL cluster and an S3 stand-in of the test's own, started by <c>scripts/services.sh</c>
/// with a state file of its own, so that the test can stop and restart them (an outage) without
/// touching the pair the rest of the suite shares.
/// </summary>
internal sealed class PrivateStores : IAsyncDisposable
{
    readonly string _stateFile;

    PrivateStores(string stateFile, string postgres, string s3)
    {
        _stateFile = stateFile;
        Postgres = postgres;
        S3 = s3;
    }

    /// <summary>An Npgsql connection string of the cluster's admin login.</summary>
    public string Postgres { get; }

    /// <summary>The S3 stand-in's URL.</summary>
    public string S3 { get; }

    public static async Task<PrivateStores> StartAsync()
    {
        var stateFile = Path.Combine(Path.GetTempPath(), "hatbox-private-stores-" + Guid.NewGuid().ToString("N") + ".state");
        var exports = await RunAsync(stateFile, "start");
        string Export(string name) => exports.Split('\n').Select(line => line.Trim())
            .Single(line => line.StartsWith($"export {name}=", StringComparison.Ordinal))[($"export {name}=".Length)..].Trim('\'');
        return new PrivateStores(stateFile, Export("HATBOX_TEST_POSTGRES"), Export("HATBOX_TEST_S3"));
    }

    /// <summary>Stops <c>postgres</c> or <c>s3</c>, keeping its data.</summary>
    public Task PauseAsync(string service) => RunAsync(_stateFile, "pause", service);

    /// <summary>Starts it again on the same port and data.</summary>
    public Task ResumeAsync(string service) => RunAsync(_stateFile, "resume", service);

    public async ValueTask DisposeAsync() => await RunAsync(_stateFile, "stop");

    static async Task<string> RunAsync(string stateFile, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot(),
            Environment = { ["HATBOX_SERVICES_STATE"] = stateFile },
        };
        start.ArgumentList.Add("scripts/services.sh");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"services.sh {string.Join(' ', arguments)}: {await errors}");
        return await output;
    }

    static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Hatbox.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("No Hatbox.slnx above the test binaries.");
    }
}
