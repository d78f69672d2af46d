using System.Diagnostics;

namespace Hatbox.Tests.FirstRun;

/// <summary>
/// <c>hatbox tls trust</c> as a user runs it, in a process of its own with a home folder of its own, so
/// only that home's browser trust store (NSS) changes; the system store is left alone (<c>--skip-system</c>).
/// </summary>
public sealed class TlsTrustCommandTests : IDisposable
{
    const string Certutil = "/usr/bin/certutil";
    static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Hatbox.dll");

    readonly string _root = Directory.CreateTempSubdirectory("hatbox-trust-").FullName;

    string Home => Path.Combine(_root, "home");

    string Data => Path.Combine(_root, "data");

    string NssDatabase => Path.Combine(Home, ".pki", "nssdb");

    [Fact]
    public async Task TrustPutsTheAuthorityIntoChromiumsTrustStoreAndAgainChangesNothing()
    {
        RequireCertutil();
        Directory.CreateDirectory(Home);

        var (first, output) = await RunHatboxAsync(["tls", "trust", "--data", Data, "--skip-system"]);
        var (second, _) = await RunHatboxAsync(["tls", "trust", "--data", Data, "--skip-system"]);

        Assert.True(first == 0, output);
        Assert.Equal(0, second);
        var (listed, listing) = await RunToolAsync(Certutil, "-L", "-d", $"sql:{NssDatabase}");
        Assert.Equal(0, listed);
        var line = listing.Split('\n').Single(l => l.StartsWith("Hatbox local authority", StringComparison.Ordinal));
        Assert.EndsWith("C,,", line.TrimEnd());
        Assert.Contains(Path.Combine(Data, "tls", "cert.pem"), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRunSaysWhatItWouldDoAndChangesNothing()
    {
        RequireCertutil();
        Directory.CreateDirectory(Home);

        var (exit, output) = await RunHatboxAsync(["tls", "trust", "--data", Data, "--dry-run"]);

        Assert.True(exit == 0, output);
        Assert.Contains("would run: certutil", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Home, ".pki")));
    }

    [Fact]
    public async Task WithoutCertutilItPrintsTheStepsAndFails()
    {
        Directory.CreateDirectory(Home);

        var (exit, output) = await RunHatboxAsync(["tls", "trust", "--data", Data, "--skip-system"], pathWithoutTools: true);

        Assert.Equal(1, exit);
        Assert.Contains("certutil -A -d sql:", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(NssDatabase));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    static void RequireCertutil()
    {
        if (!File.Exists(Certutil))
        {
            Assert.Fail($"{Certutil} is missing: apt-get install libnss3-tools (scripts/test.sh does).");
        }
    }

    /// <summary>The Hatbox.dll beside the tests, with this test's home folder.</summary>
    Task<(int Exit, string Output)> RunHatboxAsync(string[] arguments, bool pathWithoutTools = false)
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Dll } };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["HOME"] = Home;
        if (pathWithoutTools)
        {
            // Only the folder of dotnet itself: no certutil to be found.
            start.Environment["PATH"] = Path.GetDirectoryName(Environment.ProcessPath!)!;
        }
        return RunAsync(start);
    }

    static Task<(int Exit, string Output)> RunToolAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return RunAsync(start);
    }

    static async Task<(int Exit, string Output)> RunAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await errors);
    }
}
