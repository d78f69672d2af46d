using System.CommandLine;
using Hatbox.Hosting;
using Hatbox.Hosting.Tls;

namespace Hatbox.Cli;

/// <summary><c>hatbox tls trust</c>: make this machine and user trust the data folder's local certificate authority.</summary>
internal static class TlsCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data folder (default ./data)." };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be done, change nothing." };
        var skipSystem = new Option<bool>("--skip-system") { Description = "Leave the system trust store alone." };
        var skipBrowsers = new Option<bool>("--skip-browsers") { Description = "Leave the NSS databases of Chromium and Firefox alone." };
        var trust = new Command("trust", "Trust the local certificate authority (data/tls/cert.pem) in the system and browser stores.")
        {
            data, config, dryRun, skipSystem, skipBrowsers,
        };
        trust.SetAction(parse =>
        {
            var builder = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
            builder.AddHatboxSources(new ServeSettings(parse.GetValue(data), ConfigFile: parse.GetValue(config)));
            var configuration = builder.Build();
            var server = configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
            var tls = configuration.GetSection(TlsOptions.SectionName).Get<TlsOptions>() ?? new TlsOptions();
            if (!string.IsNullOrWhiteSpace(tls.CertificatePath))
            {
                Console.WriteLine($"Tls:CertificatePath is set: the server uses your own certificate ({tls.CertificatePath}). Trust its issuer instead.");
                return 1;
            }
            var authority = LocalCertificateAuthority.LoadOrCreate(Path.Combine(Path.GetFullPath(server.DataDirectory), "tls"), TimeProvider.System);
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return new TrustInstaller(authority.CertificatePath, home, Console.Out, parse.GetValue(dryRun))
                .Install(system: !parse.GetValue(skipSystem), browsers: !parse.GetValue(skipBrowsers));
        });
        return new Command("tls", "The local certificate authority.") { trust };
    }
}
