using System.CommandLine;
using System.Text.Json;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Hosting;

namespace Hatbox.Cli;

/// <summary>
/// Runs one admin command against the same data as the server, without a web host. Changes go
/// through the same services the <c>/v1</c> API uses, so a running server sees them within a second.
/// </summary>
internal static class CliHost
{
    public static readonly Option<string?> Data = new("--data") { Description = "Data folder (default ./data).", Recursive = true };
    public static readonly Option<string?> Config = new("--config") { Description = "A JSON configuration file.", Recursive = true };
    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON for scripts.", Recursive = true };

    static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> action,
        CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddHatboxSources(new ServeSettings(parse.GetValue(Data), ConfigFile: parse.GetValue(Config)));
        builder.Logging.ClearProviders();
        builder.Services.AddHatboxCore(builder.Configuration);
        using var host = builder.Build();
        try
        {
            await PlatformDatabaseMigrator.MigrateAsync(host.Services, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            return await action(scope.ServiceProvider, cancellationToken);
        }
        catch (Exception e) when (StoreFailure.TryReport(e))
        {
            return StoreFailure.ExitCode;
        }
    }

    /// <summary>Prints a result: JSON with <c>--json</c>, else one readable line per field.</summary>
    public static int Print(ParseResult parse, object value)
    {
        if (parse.GetValue(Json))
        {
            Console.WriteLine(JsonSerializer.Serialize(value, value.GetType(), JsonOutput));
            return 0;
        }
        var element = JsonSerializer.SerializeToElement(value, value.GetType(), JsonOutput);
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Console.WriteLine(string.Join("  ", item.EnumerateObject().Select(p => $"{p.Name}={p.Value}")));
            }
        }
        else
        {
            foreach (var property in element.EnumerateObject())
            {
                Console.WriteLine($"{property.Name}: {property.Value}");
            }
        }
        return 0;
    }

    /// <summary>Prints the error envelope's code and message to stderr; exit code 1.</summary>
    public static int Fail(ApiError error)
    {
        Console.Error.WriteLine($"error: {error.Code}: {error.Message}");
        return 1;
    }
}
