using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace Hatbox.Hosting.Tls;

/// <summary>
/// Puts the local authority into the trust stores of this machine and user, as <c>mkcert -install</c>
/// does: the system store (what curl, Node's <c>--use-system-ca</c>, .NET and most tools read) and the
/// NSS databases of Chromium and Firefox, which do not read the system store on Linux. What it cannot
/// do (no root, no <c>certutil</c>) it prints as exact commands.
/// </summary>
internal sealed class TrustInstaller(string certificatePath, string home, TextWriter output, bool dryRun)
{
    readonly X509Certificate2 _authority = X509CertificateLoader.LoadCertificateFromFile(certificatePath);

    /// <summary>The name the authority gets in NSS databases and in the system folder.</summary>
    string Nickname => _authority.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    string FileName => $"hatbox-{_authority.Thumbprint[..16].ToLowerInvariant()}.crt";

    /// <summary>Returns 0 when every store it found now trusts the authority, 1 when steps are left for you.</summary>
    public int Install(bool system, bool browsers)
    {
        output.WriteLine($"Local certificate authority: {certificatePath}");
        output.WriteLine($"  {Nickname}, SHA-256 {_authority.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}");
        var complete = true;
        if (system)
        {
            complete &= InstallSystem();
        }
        if (browsers)
        {
            complete &= InstallNss();
        }
        return complete ? 0 : 1;
    }

    bool InstallSystem()
    {
        if (OperatingSystem.IsWindows())
        {
            return Step("Windows user root store", "certutil -user -addstore Root " + Quote(certificatePath), () =>
            {
                using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
                store.Open(OpenFlags.ReadWrite);
                store.Add(_authority);
            });
        }
        if (OperatingSystem.IsMacOS())
        {
            return RunOrPrint("macOS system keychain", "security",
                ["add-trusted-cert", "-d", "-r", "trustRoot", "-k", "/Library/Keychains/System.keychain", certificatePath], needsRoot: true);
        }
        if (Directory.Exists("/usr/local/share/ca-certificates") && Which("update-ca-certificates") is not null)
        {
            return CopyAndRun("system store (Debian, Ubuntu)", Path.Combine("/usr/local/share/ca-certificates", FileName),
                "update-ca-certificates", []);
        }
        if (Directory.Exists("/etc/pki/ca-trust/source/anchors") && Which("update-ca-trust") is not null)
        {
            return CopyAndRun("system store (Fedora, RHEL)", Path.Combine("/etc/pki/ca-trust/source/anchors", FileName),
                "update-ca-trust", ["extract"]);
        }
        output.WriteLine("System store: not found. Add the certificate above to your system's trust anchors by hand.");
        return false;
    }

    bool CopyAndRun(string store, string target, string command, string[] arguments)
    {
        var steps = $"sudo cp {Quote(certificatePath)} {Quote(target)} && sudo {command} {string.Join(' ', arguments)}".TrimEnd();
        if (!IsRoot)
        {
            output.WriteLine($"System {store}: needs root. Run:");
            output.WriteLine($"  {steps}");
            return false;
        }
        return Step($"System {store}", steps, () =>
        {
            File.Copy(certificatePath, target, overwrite: true);
            Run(command, arguments);
        });
    }

    bool InstallNss()
    {
        var databases = NssDatabases().ToList();
        var certutil = Which("certutil");
        if (certutil is null)
        {
            output.WriteLine("Chromium and Firefox keep their own trust stores (NSS), and certutil is missing:");
            output.WriteLine("  install it (Debian, Ubuntu: sudo apt-get install libnss3-tools; Fedora: sudo dnf install nss-tools), then run this again, or:");
            foreach (var database in databases.DefaultIfEmpty(ChromiumDatabase))
            {
                output.WriteLine($"  {CertutilLine(database)}");
            }
            return false;
        }
        var complete = true;
        foreach (var database in databases)
        {
            complete &= Step($"NSS database {database}", CertutilLine(database), () =>
            {
                Directory.CreateDirectory(database);
                if (!File.Exists(Path.Combine(database, "cert9.db")))
                {
                    Run(certutil, ["-N", "-d", $"sql:{database}", "--empty-password"]);
                }
                Run(certutil, ["-A", "-d", $"sql:{database}", "-t", "C,,", "-n", Nickname, "-i", certificatePath]);
            });
        }
        return complete;
    }

    string ChromiumDatabase => Path.Combine(home, ".pki", "nssdb");

    /// <summary>Chromium's database (made when missing, so a Chromium started later finds it) and each Firefox profile's.</summary>
    IEnumerable<string> NssDatabases()
    {
        yield return ChromiumDatabase;
        var snapChromium = Path.Combine(home, "snap", "chromium", "current", ".pki", "nssdb");
        if (Directory.Exists(snapChromium))
        {
            yield return snapChromium;
        }
        foreach (var profiles in new[] { Path.Combine(home, ".mozilla", "firefox"), Path.Combine(home, "snap", "firefox", "common", ".mozilla", "firefox") })
        {
            if (!Directory.Exists(profiles))
            {
                continue;
            }
            foreach (var profile in Directory.EnumerateDirectories(profiles).Where(p => File.Exists(Path.Combine(p, "cert9.db"))))
            {
                yield return profile;
            }
        }
    }

    string CertutilLine(string database) =>
        $"certutil -A -d sql:{Quote(database)} -t C,, -n {Quote(Nickname)} -i {Quote(certificatePath)}";

    bool RunOrPrint(string store, string command, string[] arguments, bool needsRoot)
    {
        var line = $"{(needsRoot ? "sudo " : "")}{command} {string.Join(' ', arguments.Select(Quote))}";
        if (needsRoot && !IsRoot)
        {
            output.WriteLine($"{store}: needs root. Run:");
            output.WriteLine($"  {line}");
            return false;
        }
        return Step(store, line, () => Run(command, arguments));
    }

    /// <summary>Does one step (or, with --dry-run, only says it), and on failure prints the command to run by hand.</summary>
    bool Step(string store, string commandLine, Action action)
    {
        if (dryRun)
        {
            output.WriteLine($"{store}: would run: {commandLine}");
            return true;
        }
        try
        {
            action();
            output.WriteLine($"{store}: trusted.");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException
            or System.ComponentModel.Win32Exception or System.Security.Cryptography.CryptographicException)
        {
            output.WriteLine($"{store}: failed ({exception.Message}). Run:");
            output.WriteLine($"  {commandLine}");
            return false;
        }
    }

    static void Run(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} exited with {process.ExitCode}: {errors.Result.Trim()}");
        }
    }

    static bool IsRoot => Environment.UserName == "root";

    static string? Which(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, command)).FirstOrDefault(File.Exists);

    static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || "/._-:,=".Contains(c)) ? value : $"'{value.Replace("'", "'\\''")}'";
}
