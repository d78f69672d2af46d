using System.CommandLine;
using Hatbox.Common.Errors;
using Hatbox.Features.Usage;

namespace Hatbox.Cli.Admin;

/// <summary><c>hatbox admin usage --org ORG_ID [--month yyyy-MM]</c>: the month's statement and usage.</summary>
internal static class UsageCommand
{
    public sealed record Result(BillingStatement Statement, UsageReport Usage);

    public static Command Create()
    {
        var month = new Option<string?>("--month") { Description = "yyyy-MM (default: this month, UTC)." };
        var command = new Command("usage", "Print an organization's usage and statement.") { OrgsCommand.Org, month };
        command.SetAction((parse, ct) => CliHost.RunAsync(parse, async (services, token) =>
        {
            var organizationId = parse.GetValue(OrgsCommand.Org)!;
            var name = parse.GetValue(month) ?? BillingMonth.Of(services.GetRequiredService<TimeProvider>().GetUtcNow());
            var usage = services.GetRequiredService<UsageService>();
            if (await usage.StatementAsync(organizationId, name, token) is not { } statement)
            {
                return CliHost.Fail(ApiError.NotFound(ErrorCodes.NotFound, "No such organization, or the month is not yyyy-MM."));
            }
            return CliHost.Print(parse, new Result(statement, await usage.ReportAsync(organizationId, name, token)));
        }, ct));
        return command;
    }
}
