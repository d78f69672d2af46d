using System.CommandLine;
using Hatbox.Data;
using Hatbox.Hosting;
using Hatbox.Pipeline;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Hatbox.Cli;

/// <summary>
/// <c>hatbox serve</c>: migrate the platform database, then serve until stopped; on PostgreSQL a
/// node whose store is not there yet listens anyway and gets ready by itself (PlatformStartup). On SIGTERM or
/// SIGINT the host stops accepting, lets in-flight requests finish for up to
/// <see cref="ServerOptions.ShutdownDrainSeconds"/>, flushes usage and exits 0 (issue 17 item 4).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data folder (default ./data)." };
        var httpsPort = new Option<int?>("--https-port") { Description = "HTTPS port (default 8443; 0 picks a free one)." };
        var httpPort = new Option<int?>("--http-port") { Description = "Plain HTTP port that only refuses (default 8080; 0 turns it off)." };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file." };
        var listen = new Option<string?>("--listen") { Description = "localhost (default), an IP address, or * for all interfaces." };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Loopback port of the Prometheus /metrics listener (default 9464; 0 turns it off)." };

        var command = new Command("serve", "Run the Hatbox server.") { data, httpsPort, httpPort, config, listen, metricsPort };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new ServeSettings(parse.GetValue(data), parse.GetValue(httpsPort), parse.GetValue(httpPort),
                parse.GetValue(config), parse.GetValue(listen), parse.GetValue(metricsPort));
            using var console = BufferedConsole.Install();
            // The access log hands its lines to the buffered console as UTF-8 (AccessLog); given
            // Console.Out, which is the console behind a synchronizing wrapper, it would go through strings.
            await using var app = HatboxApp.Build(settings, builder =>
            {
                builder.Services.AddSingleton(provider => new AccessLog(console, provider.GetRequiredService<TimeProvider>()));
                // The host's console lifetime turns SIGTERM and SIGINT into a stop that waits this long for requests.
                builder.Services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>((host, server) =>
                    host.ShutdownTimeout = TimeSpan.FromSeconds(server.Value.ShutdownDrainSeconds));
            });
            // Migrates first (PlatformStartup, a hosted service), unless the PostgreSQL store is not there yet.
            await app.StartAsync(cancellationToken);
            PrintBanner(app);
            console.FlushNow();
            await app.WaitForShutdownAsync(cancellationToken);
            // Disposing stops the host (if the wait ended another way), then the SQL threads and stores.
            return 0;
        });
        return command;
    }

    static void PrintBanner(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var certificate = app.Services.GetRequiredService<TlsCertificates.Loaded>();
        var database = app.Services.GetRequiredService<PlatformDatabase>();
        var https = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
        Console.WriteLine($"Hatbox {app.Services.GetRequiredService<ServerIdentity>().ServerVersion} listening on {https}");
        foreach (var plain in addresses.Where(a => a.StartsWith("http://", StringComparison.Ordinal) && !Features.Telemetry.MetricsListener.IsScrapeAddress(app, a)))
        {
            Console.WriteLine($"Plain HTTP on {plain} answers 403 https_required");
        }
        if (database.IsPostgres)
        {
            var postgres = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
            Console.WriteLine($"Platform database: PostgreSQL {postgres.Database} on {postgres.Host}:{postgres.Port}");
        }
        else
        {
            Console.WriteLine($"Platform database: {database.FilePath}");
        }
        if (!app.Services.GetRequiredService<Common.Readiness.PlatformReadiness>().IsReady)
        {
            Console.WriteLine("  not reachable yet: answering 503 service_unavailable until it is (retrying in the background)");
        }
        Features.Telemetry.MetricsListener.PrintBanner(app);
        if (certificate.AuthorityPemPath is { } pem)
        {
            Console.WriteLine($"Local certificate authority: {pem} (it signs localhost and every {{slug}}.localhost)");
            Console.WriteLine("  browsers and this machine: hatbox tls trust");
            Console.WriteLine($"  Node.js / the WorqHat SDK: export NODE_EXTRA_CA_CERTS={pem}");
            Console.WriteLine($"  curl: curl --cacert {pem} {https}/health");
        }
    }
}
