using System.Diagnostics;
using System.Text.Json;

namespace Hatbox.Tests.Accounts;

/// <summary>
/// A local OpenID Connect provider (npm <c>oauth2-mock-server</c>, <c>tests/oidc/server.mjs</c>): a
/// real HTTP server speaking the protocol, approving every login without a person. The test names
/// who signs in next with <see cref="NextLoginAsync"/>.
/// </summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    readonly Process _node;
    readonly HttpClient _control = new();

    OidcProvider(Process node, Uri issuer, Uri control)
    {
        _node = node;
        Issuer = issuer;
        _control.BaseAddress = control;
    }

    public Uri Issuer { get; }

    public static async Task<OidcProvider> StartAsync()
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "oidc");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "oauth2-mock-server")),
            "Run `npm ci` in tests/oidc first (scripts/test.sh does).");
        var node = Process.Start(new ProcessStartInfo("node", "server.mjs")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var line = await node.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask()
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(string.IsNullOrEmpty(line), "The OpenID Connect stand-in did not start.");
        using var started = JsonDocument.Parse(line!);
        return new OidcProvider(node, new Uri(started.RootElement.GetProperty("issuer").GetString()!),
            new Uri(started.RootElement.GetProperty("control").GetString()!));
    }

    /// <summary>The claims of the next ID token the provider signs: <c>sub</c>, <c>email</c>, <c>email_verified</c>, <c>name</c>.</summary>
    public async Task NextLoginAsync(string subject, string? email, bool emailVerified, string name = "External Person")
    {
        using var response = await _control.PostAsync("/next-login",
            JsonContent.Create(new Dictionary<string, object?> { ["sub"] = subject, ["email"] = email, ["email_verified"] = emailVerified, ["name"] = name }),
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        // Closing its stdin stops it; a kill by our own process id is the fallback.
        _node.StandardInput.Close();
        if (!_node.WaitForExit(5000))
        {
            _node.Kill();
        }
        await _node.WaitForExitAsync();
        _node.Dispose();
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
