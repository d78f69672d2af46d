using System.CommandLine;
using Hatbox.Data;
using Hatbox.Hosting;

namespace Hatbox.Cli;

/// <summary><c>hatbox migrate</c>: bring the platform database up to date without serving.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data folder (default ./data)." };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file." };
        var command = new Command("migrate", "Apply platform database migrations.") { data, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = HatboxApp.Build(new ServeSettings(parse.GetValue(data), ConfigFile: parse.GetValue(config)));
            try
            {
                await PlatformDatabaseMigrator.MigrateAsync(app.Services, cancellationToken);
                return 0;
            }
            catch (Exception e) when (StoreFailure.TryReport(e))
            {
                return StoreFailure.ExitCode;
            }
        });
        return command;
    }
}
